/* The gasang front end: subcommands and the one place that prints errors. */
#ifndef CLI_CLI_H
#define CLI_CLI_H

/* Prints "gasang: <object>: <reason>" (or "gasang: <reason>") to stderr. */
void cli_error(const char *object, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

int cmd_run(int argc, char **argv);
int cmd_img(int argc, char **argv);
int cmd_image(int argc, char **argv);

#endif
