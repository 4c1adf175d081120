/* The foreground console: see console.h. */
#include "cli/console.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

static struct termios saved;
static volatile sig_atomic_t raw_active;
static struct console_sink sink;

void console_restore(void)
{
	if (raw_active) {
		tcsetattr(STDIN_FILENO, TCSANOW, &saved);
		raw_active = 0;
	}
}

static void restore_and_reraise(int sig)
{
	console_restore();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void enter_raw_mode(void)
{
	struct termios raw;
	static const int fatal[] = { SIGTERM, SIGHUP, SIGQUIT, SIGSEGV,
				     SIGBUS,  SIGFPE, SIGILL,  SIGABRT };

	if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &saved))
		return;
	raw = saved;
	/* keys go to the guest: no echo, no line editing, no signals */
	raw.c_iflag &= ~(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR |
			 ICRNL | IXON);
	raw.c_lflag &= ~(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
	raw.c_cflag &= ~(CSIZE | PARENB);
	raw.c_cflag |= CS8;
	raw.c_cc[VMIN] = 1;
	raw.c_cc[VTIME] = 0;
	if (tcsetattr(STDIN_FILENO, TCSANOW, &raw))
		return;
	raw_active = 1;
	atexit(console_restore);
	for (size_t i = 0; i < sizeof(fatal) / sizeof(fatal[0]); i++)
		signal(fatal[i], restore_and_reraise);
}

static void *reader_main(void *arg)
{
	uint8_t buf[256], out[256];
	bool escape = false;

	(void)arg;
	for (;;) {
		ssize_t n = read(STDIN_FILENO, buf, sizeof(buf));
		size_t len = 0;

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return NULL; /* end of input: the guest just gets none */
		for (ssize_t i = 0; i < n; i++) {
			uint8_t c = buf[i];

			if (escape) {
				escape = false;
				if (c == 'x' || c == 'X') {
					if (len)
						sink.input(sink.ctx, out, len);
					sink.quit(sink.ctx);
					return NULL;
				}
				if (c != CONSOLE_ESCAPE)
					continue;
			} else if (c == CONSOLE_ESCAPE && raw_active) {
				escape = true;
				continue;
			}
			out[len++] = c;
		}
		if (len)
			sink.input(sink.ctx, out, len);
	}
}

int console_start(const struct console_sink *s)
{
	pthread_t tid;

	sink = *s;
	enter_raw_mode();
	if (pthread_create(&tid, NULL, reader_main, NULL)) {
		console_restore();
		return -EAGAIN;
	}
	pthread_detach(tid);
	return 0;
}
