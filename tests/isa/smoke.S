/* Smoke test: a few RV64I operations, the test harness itself. */
#include "test.h"

TEST_BEGIN
	TEST_RR(1, add, 3, 1, 2)
	TEST_RR(2, sub, -1, 1, 2)
	TEST_RI(3, addi, 0, -1, 1)
	TEST_BR_TAKEN(4, beq, 5, 5)
	TEST_BR_NOT_TAKEN(5, bne, 5, 5)
TEST_END
