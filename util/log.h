/*
 * Logging: one module for the whole program.
 *
 * error/warn/info/debug go to the log stream (stderr unless redirected).
 * guest-error and unimp are categories for things the guest did wrong or
 * asked for that we do not model; both are off by default and
 * rate-limited so that a hostile guest cannot flood the host.
 */
#ifndef UTIL_LOG_H
#define UTIL_LOG_H

#include <stdbool.h>
#include <stdio.h>

enum log_level { LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG };

enum log_category {
	LOG_CAT_GUEST_ERROR = 1u << 0,
	LOG_CAT_UNIMP = 1u << 1,
};

void log_set_level(enum log_level level);
void log_set_stream(FILE *stream);
void log_enable_categories(unsigned mask);
bool log_category_enabled(enum log_category cat);

void log_msg(enum log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Rate-limited: at most a few lines per second per category. */
void log_cat(enum log_category cat, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)
#define log_guest_error(...)                                       \
	do {                                                       \
		if (log_category_enabled(LOG_CAT_GUEST_ERROR))     \
			log_cat(LOG_CAT_GUEST_ERROR, __VA_ARGS__); \
	} while (0)
#define log_unimp(...)                                       \
	do {                                                 \
		if (log_category_enabled(LOG_CAT_UNIMP))     \
			log_cat(LOG_CAT_UNIMP, __VA_ARGS__); \
	} while (0)

#endif
