/*
 * A small JSON validator (RFC 8259), to check what core/out.c produces:
 * the tests of the print path (core/test_out.c), of the commands'
 * JSON output (tests/unit/cli/) and of the control socket.
 */
#ifndef TEST_JSON_VALID_H
#define TEST_JSON_VALID_H

/* 1 if doc is one JSON value (and white space around it), else 0. */
int json_valid(const char *doc);

#endif
