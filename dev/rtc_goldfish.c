/* Goldfish RTC: see rtc_goldfish.h for the register map. */
#include "dev/rtc_goldfish.h"

#include <errno.h>
#include <libfdt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "util/log.h"

enum {
	RTC_TIME_LOW = 0x00,
	RTC_TIME_HIGH = 0x04,
	RTC_ALARM_LOW = 0x08,
	RTC_ALARM_HIGH = 0x0c,
	RTC_IRQ_ENABLED = 0x10,
	RTC_CLEAR_ALARM = 0x14,
	RTC_ALARM_STATUS = 0x18,
	RTC_CLEAR_INTERRUPT = 0x1c,
};

#define RTC_NS_PER_S 1000000000ull
/* the alarm thread re-reads the clocks at least this often */
#define RTC_MAX_SLEEP_NS (10 * RTC_NS_PER_S)

static uint64_t rtc_clock_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (uint64_t)ts.tv_sec * RTC_NS_PER_S + (uint64_t)ts.tv_nsec;
}

static uint64_t rtc_now(const struct rtc_goldfish *r)
{
	return rtc_clock_ns(CLOCK_REALTIME) + r->offset;
}

static void rtc_set_time(struct rtc_goldfish *r, uint64_t t)
{
	r->offset = t - rtc_clock_ns(CLOCK_REALTIME);
	pthread_cond_signal(&r->wake);
}

/* Called with the lock held after any change of interrupt state. */
static void rtc_update_irq(struct rtc_goldfish *r)
{
	bool level = r->irq_pending && r->irq_enabled;

	if (level == r->irq_level)
		return;
	r->irq_level = level;
	irq_line_set(&r->irq, level);
}

/* Fires the alarm if its time has come; called with the lock held. */
static bool rtc_check_alarm(struct rtc_goldfish *r)
{
	if (!r->alarm_running || rtc_now(r) < r->alarm)
		return false;
	r->alarm_running = false;
	r->irq_pending = true;
	rtc_update_irq(r);
	return true;
}

static void *rtc_alarm_thread(void *arg)
{
	struct rtc_goldfish *r = arg;
	struct timespec ts;
	uint64_t wait, deadline;

	pthread_mutex_lock(&r->lock);
	while (!r->stop) {
		if (!r->alarm_running) {
			pthread_cond_wait(&r->wake, &r->lock);
			continue;
		}
		if (rtc_check_alarm(r))
			continue;
		/* the host's wall clock may jump: sleep in bounded steps */
		wait = r->alarm - rtc_now(r);
		if (wait > RTC_MAX_SLEEP_NS)
			wait = RTC_MAX_SLEEP_NS;
		deadline = rtc_clock_ns(CLOCK_MONOTONIC) + wait;
		ts.tv_sec = (time_t)(deadline / RTC_NS_PER_S);
		ts.tv_nsec = (long)(deadline % RTC_NS_PER_S);
		pthread_cond_timedwait(&r->wake, &r->lock, &ts);
	}
	pthread_mutex_unlock(&r->lock);
	return NULL;
}

static uint64_t rtc_read(void *dev, uint64_t off, unsigned size)
{
	struct rtc_goldfish *r = dev;
	uint64_t now;
	uint32_t val = 0;

	pthread_mutex_lock(&r->lock);
	switch (off) {
	case RTC_TIME_LOW:
		now = rtc_now(r);
		r->time_high = (uint32_t)(now >> 32);
		val = (uint32_t)now;
		break;
	case RTC_TIME_HIGH: val = r->time_high; break;
	case RTC_ALARM_LOW: val = (uint32_t)r->alarm; break;
	case RTC_ALARM_HIGH: val = (uint32_t)(r->alarm >> 32); break;
	case RTC_IRQ_ENABLED: val = r->irq_enabled; break;
	case RTC_ALARM_STATUS:
		rtc_check_alarm(r);
		val = r->alarm_running;
		break;
	default:
		log_guest_error("rtc: read at 0x%llx", (unsigned long long)off);
		break;
	}
	pthread_mutex_unlock(&r->lock);
	return val;
}

static void rtc_write(void *dev, uint64_t off, uint64_t val64, unsigned size)
{
	struct rtc_goldfish *r = dev;
	uint32_t val = (uint32_t)val64;
	uint64_t high;

	pthread_mutex_lock(&r->lock);
	switch (off) {
	case RTC_TIME_LOW:
		high = r->set_high_valid ? r->set_high : rtc_now(r) >> 32;
		r->set_high_valid = false;
		rtc_set_time(r, high << 32 | val);
		rtc_check_alarm(r);
		break;
	case RTC_TIME_HIGH:
		r->set_high = val;
		r->set_high_valid = true;
		break;
	case RTC_ALARM_LOW:
		r->alarm = (r->alarm & ~0xffffffffull) | val;
		r->alarm_running = true;
		if (!rtc_check_alarm(r))
			pthread_cond_signal(&r->wake);
		break;
	case RTC_ALARM_HIGH:
		r->alarm = (r->alarm & 0xffffffffull) | (uint64_t)val << 32;
		break;
	case RTC_IRQ_ENABLED:
		r->irq_enabled = val & 1;
		rtc_update_irq(r);
		break;
	case RTC_CLEAR_ALARM: r->alarm_running = false; break;
	case RTC_CLEAR_INTERRUPT:
		r->irq_pending = false;
		rtc_update_irq(r);
		break;
	default:
		log_guest_error("rtc: write of 0x%x at 0x%llx", val,
				(unsigned long long)off);
		break;
	}
	pthread_mutex_unlock(&r->lock);
}

static const struct mmio_ops rtc_ops = {
	.read = rtc_read,
	.write = rtc_write,
};

int rtc_goldfish_init(struct rtc_goldfish *r, const struct irq_line *irq)
{
	pthread_condattr_t attr;
	int err;

	memset(r, 0, sizeof(*r));
	r->irq = *irq;
	err = pthread_mutex_init(&r->lock, NULL);
	if (err)
		return -err;
	err = pthread_condattr_init(&attr);
	if (err)
		goto undo_mutex;
	err = pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	err = err ?: pthread_cond_init(&r->wake, &attr);
	pthread_condattr_destroy(&attr);
	if (err)
		goto undo_mutex;
	err = pthread_create(&r->thread, NULL, rtc_alarm_thread, r);
	if (err)
		goto undo_cond;
	return 0;

undo_cond:
	pthread_cond_destroy(&r->wake);
undo_mutex:
	pthread_mutex_destroy(&r->lock);
	return -err;
}

void rtc_goldfish_destroy(struct rtc_goldfish *r)
{
	pthread_mutex_lock(&r->lock);
	r->stop = true;
	pthread_cond_signal(&r->wake);
	pthread_mutex_unlock(&r->lock);
	pthread_join(r->thread, NULL);
	pthread_cond_destroy(&r->wake);
	pthread_mutex_destroy(&r->lock);
}

struct mmio_region rtc_goldfish_region(struct rtc_goldfish *r, uint64_t base)
{
	return (struct mmio_region){
		.name = "rtc",
		.base = base,
		.size = RTC_GOLDFISH_SIZE,
		.min_access = 4,
		.max_access = 4,
		.ops = &rtc_ops,
		.dev = r,
	};
}

int rtc_goldfish_fdt(const struct rtc_goldfish *r, void *fdt, uint64_t base,
		     const struct devtree_refs *refs)
{
	const fdt64_t reg[2] = { cpu_to_fdt64(base),
				 cpu_to_fdt64(RTC_GOLDFISH_SIZE) };
	char name[32];
	int err;

	snprintf(name, sizeof(name), "rtc@%llx", (unsigned long long)base);
	err = fdt_begin_node(fdt, name);
	err = err
		      ?: fdt_property_string(fdt, "compatible",
					     "google,goldfish-rtc");
	err = err ?: fdt_property(fdt, "reg", reg, sizeof(reg));
	err = err
		      ?: fdt_property_u32(fdt, "interrupt-parent",
					  refs->plic_phandle);
	err = err ?: fdt_property_u32(fdt, "interrupts", r->irq.num);
	err = err ?: fdt_end_node(fdt);
	return err;
}
