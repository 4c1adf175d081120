/*
 * The foreground console of 'gasang run': the terminal in raw mode while
 * the VM runs (restored on every exit path), stdin forwarded to the
 * guest's serial port, and an escape key for the user.
 */
#ifndef CLI_CONSOLE_H
#define CLI_CONSOLE_H

#include <stddef.h>
#include <stdint.h>

/* Ctrl-A, then 'x' quits; Ctrl-A Ctrl-A sends one Ctrl-A. */
#define CONSOLE_ESCAPE 0x01

struct console_sink {
	/* delivers guest input; may block until the guest takes it */
	void (*input)(void *ctx, const uint8_t *buf, size_t len);
	/* the user asked to quit */
	void (*quit)(void *ctx);
	void *ctx;
};

/*
 * Puts stdin in raw mode if it is a terminal and starts the thread that
 * reads it. Returns 0 or -errno.
 */
int console_start(const struct console_sink *sink);
/* Restores the terminal. Safe to call more than once, and from signals. */
void console_restore(void);

#endif
