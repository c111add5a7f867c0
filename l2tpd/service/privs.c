/* Least privilege through libcap-ng (see privs.h). */
#include <cap-ng.h>
#include <errno.h>
#include <grp.h>
#include <linux/capability.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common/util.h"
#include "service/privs.h"

static const int svc_privs_caps[] = { CAP_NET_ADMIN, CAP_NET_RAW, CAP_NET_BIND_SERVICE };

uint64_t svc_privs_wanted(void)
{
	uint64_t m = 0;

	for (size_t i = 0; i < ARRAY_SIZE(svc_privs_caps); i++)
		m |= 1ull << svc_privs_caps[i];
	return m;
}

int svc_privs_lookup(const char *user, uid_t *uid, gid_t *gid, char *err, size_t errsz)
{
	struct passwd *pw;

	errno = 0;
	pw = getpwnam(user);
	if (pw == NULL) {
		snprintf(err, errsz, "user '%s': %s", user,
			 errno ? strerror(errno) : "no such user");
		return -ENOENT;
	}
	*uid = pw->pw_uid;
	*gid = pw->pw_gid;
	return 0;
}

int svc_privs_drop(uid_t uid, gid_t gid, char *err, size_t errsz)
{
	int rc;

	capng_clear(CAPNG_SELECT_BOTH);
	for (size_t i = 0; i < ARRAY_SIZE(svc_privs_caps); i++) {
		if (capng_update(CAPNG_ADD, CAPNG_EFFECTIVE | CAPNG_PERMITTED | CAPNG_BOUNDING_SET,
				 (unsigned)svc_privs_caps[i]) < 0) {
			snprintf(err, errsz, "capability %d: cannot be kept", svc_privs_caps[i]);
			return -EINVAL;
		}
	}
	/* setgid, initgroups, setuid with PR_SET_KEEPCAPS, then the set above;
	 * the bounding set keeps the three (a future exec of the daemon's own
	 * binary for the hitless restart can have them), nothing else */
	rc = capng_change_id((int)uid, (int)gid, CAPNG_INIT_SUPP_GRP | CAPNG_CLEAR_BOUNDING);
	if (rc < 0) {
		snprintf(err, errsz, "cannot become uid %u gid %u keeping CAP_NET_ADMIN, "
			 "CAP_NET_RAW, CAP_NET_BIND_SERVICE (libcap-ng error %d%s)", (unsigned)uid,
			 (unsigned)gid, rc, geteuid() != 0 ? "; -u needs root" : "");
		return -EPERM;
	}
	if (getuid() != uid || geteuid() != uid || getgid() != gid || getegid() != gid) {
		snprintf(err, errsz, "still running as uid %u gid %u after the change",
			 (unsigned)geteuid(), (unsigned)getegid());
		return -EPERM;
	}
	return 0;
}

uint64_t svc_privs_effective(void)
{
	uint64_t m = 0;

	capng_get_caps_process();
	for (unsigned c = 0; c <= CAP_LAST_CAP && c < 64; c++)
		if (capng_have_capability(CAPNG_EFFECTIVE, c) == 1)
			m |= 1ull << c;
	return m;
}

void svc_privs_format(uint64_t mask, char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	for (unsigned c = 0; c < 64 && len < size; c++) {
		const char *name;

		if (!(mask & (1ull << c)))
			continue;
		name = capng_capability_to_name(c);
		len += (size_t)snprintf(buf + len, size - len, "%scap_%s", len ? "," : "",
					name ? name : "?");
	}
	if (len == 0)
		snprintf(buf, size, "none");
}
