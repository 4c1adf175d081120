/* Logging module: see log.h. */
#include "util/log.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <time.h>

static enum log_level cur_level = LOG_WARN;
static FILE *log_stream;
static unsigned enabled_cats;

void log_set_level(enum log_level level)
{
	cur_level = level;
}

void log_set_stream(FILE *stream)
{
	log_stream = stream;
}

void log_enable_categories(unsigned mask)
{
	enabled_cats |= mask;
}

bool log_category_enabled(enum log_category cat)
{
	return (enabled_cats & cat) != 0;
}

static void vlog(const char *prefix, const char *fmt, va_list ap)
{
	FILE *f = log_stream ? log_stream : stderr;

	fprintf(f, "gasang: %s", prefix);
	vfprintf(f, fmt, ap);
	fputc('\n', f);
	fflush(f);
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	static const char *const prefix[] = {
		[LOG_ERROR] = "error: ",
		[LOG_WARN] = "warning: ",
		[LOG_INFO] = "",
		[LOG_DEBUG] = "debug: ",
	};
	va_list ap;

	if (level > cur_level)
		return;
	va_start(ap, fmt);
	vlog(prefix[level], fmt, ap);
	va_end(ap);
}

/* Allow a burst of 10 lines per category, refilled once a second. */
void log_cat(enum log_category cat, const char *fmt, ...)
{
	static _Atomic long window[2];
	static _Atomic int count[2];
	int idx = cat == LOG_CAT_GUEST_ERROR ? 0 : 1;
	struct timespec ts;
	va_list ap;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	if (atomic_exchange(&window[idx], ts.tv_sec) != ts.tv_sec)
		atomic_store(&count[idx], 0);
	if (atomic_fetch_add(&count[idx], 1) >= 10)
		return;
	va_start(ap, fmt);
	vlog(idx == 0 ? "guest error: " : "unimplemented: ", fmt, ap);
	va_end(ap);
}
