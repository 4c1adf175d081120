/*
 * What a device needs from the board to write its own device-tree node
 * (libfdt sequential-write API, inside the /soc node): the phandles of
 * the interrupt controllers it is wired to. Bindings: the Linux kernel's
 * Documentation/devicetree/bindings for each compatible string.
 */
#ifndef DEV_DEVTREE_H
#define DEV_DEVTREE_H

#include <stdint.h>

struct devtree_refs {
	/* the PLIC: interrupt-parent of the platform devices */
	uint32_t plic_phandle;
	/* per hart, the phandle of its "riscv,cpu-intc" node */
	const uint32_t *hart_intc_phandles;
	unsigned nharts;
};

#endif
