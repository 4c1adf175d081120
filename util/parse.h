/* Parsing of numbers and sizes given on the command line or in configs. */
#ifndef UTIL_PARSE_H
#define UTIL_PARSE_H

#include <stdint.h>

/*
 * Parses a size: digits with an optional binary suffix K, M, G or T
 * (case-insensitive, optional trailing "B" or "iB"); a bare number means
 * default_unit bytes per unit. Returns 0, -EINVAL for malformed text or
 * -ERANGE on overflow.
 */
int parse_size(const char *s, uint64_t default_unit, uint64_t *out);

/* Parses an unsigned decimal integer in [min, max]. 0, -EINVAL, -ERANGE. */
int parse_uint(const char *s, uint64_t min, uint64_t max, uint64_t *out);

#endif
