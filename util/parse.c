/* Number and size parsing: see parse.h. */
#include "util/parse.h"

#include <ctype.h>
#include <errno.h>
#include <strings.h>

static int parse_digits(const char **sp, uint64_t *out)
{
	const char *s = *sp;
	uint64_t v = 0;

	if (!isdigit((unsigned char)*s))
		return -EINVAL;
	for (; isdigit((unsigned char)*s); s++) {
		unsigned d = (unsigned)(*s - '0');

		if (v > (UINT64_MAX - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
	}
	*sp = s;
	*out = v;
	return 0;
}

int parse_size(const char *s, uint64_t default_unit, uint64_t *out)
{
	uint64_t v, unit;
	int err;

	if (!s)
		return -EINVAL;
	err = parse_digits(&s, &v);
	if (err)
		return err;
	switch (toupper((unsigned char)*s)) {
	case '\0': unit = default_unit; break;
	case 'B': unit = 1; break;
	case 'K': unit = 1ull << 10; break;
	case 'M': unit = 1ull << 20; break;
	case 'G': unit = 1ull << 30; break;
	case 'T': unit = 1ull << 40; break;
	default: return -EINVAL;
	}
	if (*s) {
		s++;
		if (unit != 1 && (!strcasecmp(s, "iB") || !strcasecmp(s, "B")))
			s += *s == 'i' || *s == 'I' ? 2 : 1;
		if (*s)
			return -EINVAL;
	}
	if (unit && v > UINT64_MAX / unit)
		return -ERANGE;
	*out = v * unit;
	return 0;
}

int parse_uint(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	uint64_t v;
	int err;

	if (!s)
		return -EINVAL;
	err = parse_digits(&s, &v);
	if (err)
		return err;
	if (*s)
		return -EINVAL;
	if (v < min || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}
