/*
 * The managed-VM verbs (cli/cmd_vm.c): create, start, stop, list, info,
 * logs, console, rm. Each returns the process exit status: 0, or 1 with
 * one line on stderr.
 */
#ifndef CLI_CMD_VM_H
#define CLI_CMD_VM_H

int cmd_create(int argc, char **argv);
int cmd_start(int argc, char **argv);
int cmd_stop(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_logs(int argc, char **argv);
int cmd_console(int argc, char **argv);
int cmd_rm(int argc, char **argv);

#endif
