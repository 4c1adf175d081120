/*
 * Interrupts are wires: a device drives its output line high or low and
 * does not know what is at the other end. The board (machine/) connects
 * each line to an interrupt controller input (a PLIC source) or to a
 * hart's interrupt-pending bit.
 */
#ifndef DEV_IRQ_H
#define DEV_IRQ_H

#include <stdbool.h>
#include <stddef.h>

struct irq_line {
	void (*set)(void *ctx, unsigned num, bool level);
	void *ctx;
	unsigned num;
};

static inline void irq_line_set(const struct irq_line *line, bool level)
{
	if (line->set)
		line->set(line->ctx, line->num, level);
}

#endif
