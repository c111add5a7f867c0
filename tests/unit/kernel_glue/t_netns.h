/*
 * Unit tests that talk to the kernel's netlink do it in a network
 * namespace of their own, in a child process (root only), so that the
 * host's links, addresses and routes are never touched.  Include after
 * cmocka.h.
 */
#ifndef T_NETNS_H
#define T_NETNS_H

#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

/* child() in a child process moved to a new network namespace.  Its
 * return is the child's exit status: 0 passed; any other says which
 * check failed.  No namespace of its own (not root): skipped. */
static inline void t_in_netns(int (*child)(void))
{
	pid_t pid;
	int status;

	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(unshare(CLONE_NEWNET) < 0 ? 77 : child());
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	if (WEXITSTATUS(status) == 77)
		skip();
	assert_int_equal(WEXITSTATUS(status), 0);
}

#endif
