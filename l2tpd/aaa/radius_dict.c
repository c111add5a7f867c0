/*
 * Attribute names (see radius_dict.h).
 *
 * radcli's parser reads its own dictionary and FreeRADIUS's
 * dictionary.cisco (BEGIN-VENDOR blocks included); l2tpd ships a small
 * Cisco dictionary in radcli's format for hosts without FreeRADIUS's.
 * radcli keys vendor attributes as (vendor << 16 | type).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <radcli/radcli.h>

#include "common/util.h"
#include "aaa/radius.h"
#include "aaa/radius_dict.h"

#ifndef L2TPD_DATADIR
#define L2TPD_DATADIR	"/usr/local/share/l2tpd-ha"
#endif

/* Read in this order; a missing file is skipped.  The first Cisco one wins. */
static const char *const radius_dict_files[] = {
	"/etc/radcli/dictionary",
	"/etc/radcli/dictionary.microsoft",
	"/usr/share/freeradius/dictionary.cisco",
	L2TPD_DATADIR "/dictionary.cisco",
};

#define RADIUS_DICT_FILE_MAX	(1024 * 1024)

struct radius_dict {
	rc_handle *rh;
	unsigned n_files;
};

enum radius_fmt { FMT_OCTETS = 0, FMT_STRING, FMT_INTEGER, FMT_ADDR, FMT_DATE, FMT_SECRET };

struct radius_dict_entry {
	uint32_t vendor;
	uint8_t type;
	enum radius_fmt fmt;
	const char *name;
};

/* What the daemon sends or reads, with the RFCs' names. */
static const struct radius_dict_entry radius_builtin[] = {
	{ 0, RADIUS_ATTR_USER_NAME, FMT_STRING, "User-Name" },
	{ 0, RADIUS_ATTR_USER_PASSWORD, FMT_SECRET, "User-Password" },
	{ 0, RADIUS_ATTR_CHAP_PASSWORD, FMT_SECRET, "CHAP-Password" },
	{ 0, RADIUS_ATTR_NAS_IP_ADDRESS, FMT_ADDR, "NAS-IP-Address" },
	{ 0, RADIUS_ATTR_NAS_PORT, FMT_INTEGER, "NAS-Port" },
	{ 0, RADIUS_ATTR_SERVICE_TYPE, FMT_INTEGER, "Service-Type" },
	{ 0, RADIUS_ATTR_FRAMED_PROTOCOL, FMT_INTEGER, "Framed-Protocol" },
	{ 0, RADIUS_ATTR_FRAMED_IP_ADDRESS, FMT_ADDR, "Framed-IP-Address" },
	{ 0, RADIUS_ATTR_FRAMED_IP_NETMASK, FMT_ADDR, "Framed-IP-Netmask" },
	{ 0, RADIUS_ATTR_FILTER_ID, FMT_STRING, "Filter-Id" },
	{ 0, RADIUS_ATTR_FRAMED_MTU, FMT_INTEGER, "Framed-MTU" },
	{ 0, RADIUS_ATTR_REPLY_MESSAGE, FMT_STRING, "Reply-Message" },
	{ 0, RADIUS_ATTR_FRAMED_ROUTE, FMT_STRING, "Framed-Route" },
	{ 0, RADIUS_ATTR_STATE, FMT_OCTETS, "State" },
	{ 0, RADIUS_ATTR_CLASS, FMT_OCTETS, "Class" },
	{ 0, RADIUS_ATTR_VENDOR_SPECIFIC, FMT_OCTETS, "Vendor-Specific" },
	{ 0, RADIUS_ATTR_SESSION_TIMEOUT, FMT_INTEGER, "Session-Timeout" },
	{ 0, RADIUS_ATTR_IDLE_TIMEOUT, FMT_INTEGER, "Idle-Timeout" },
	{ 0, RADIUS_ATTR_CALLED_STATION_ID, FMT_STRING, "Called-Station-Id" },
	{ 0, RADIUS_ATTR_CALLING_STATION_ID, FMT_STRING, "Calling-Station-Id" },
	{ 0, RADIUS_ATTR_NAS_IDENTIFIER, FMT_STRING, "NAS-Identifier" },
	{ 0, RADIUS_ATTR_PROXY_STATE, FMT_OCTETS, "Proxy-State" },
	{ 0, RADIUS_ATTR_ACCT_STATUS_TYPE, FMT_INTEGER, "Acct-Status-Type" },
	{ 0, RADIUS_ATTR_ACCT_DELAY_TIME, FMT_INTEGER, "Acct-Delay-Time" },
	{ 0, RADIUS_ATTR_ACCT_INPUT_OCTETS, FMT_INTEGER, "Acct-Input-Octets" },
	{ 0, RADIUS_ATTR_ACCT_OUTPUT_OCTETS, FMT_INTEGER, "Acct-Output-Octets" },
	{ 0, RADIUS_ATTR_ACCT_SESSION_ID, FMT_STRING, "Acct-Session-Id" },
	{ 0, RADIUS_ATTR_ACCT_AUTHENTIC, FMT_INTEGER, "Acct-Authentic" },
	{ 0, RADIUS_ATTR_ACCT_SESSION_TIME, FMT_INTEGER, "Acct-Session-Time" },
	{ 0, RADIUS_ATTR_ACCT_INPUT_PACKETS, FMT_INTEGER, "Acct-Input-Packets" },
	{ 0, RADIUS_ATTR_ACCT_OUTPUT_PACKETS, FMT_INTEGER, "Acct-Output-Packets" },
	{ 0, RADIUS_ATTR_ACCT_TERMINATE_CAUSE, FMT_INTEGER, "Acct-Terminate-Cause" },
	{ 0, RADIUS_ATTR_ACCT_MULTI_SESSION_ID, FMT_STRING, "Acct-Multi-Session-Id" },
	{ 0, RADIUS_ATTR_ACCT_INPUT_GIGAWORDS, FMT_INTEGER, "Acct-Input-Gigawords" },
	{ 0, RADIUS_ATTR_ACCT_OUTPUT_GIGAWORDS, FMT_INTEGER, "Acct-Output-Gigawords" },
	{ 0, RADIUS_ATTR_EVENT_TIMESTAMP, FMT_DATE, "Event-Timestamp" },
	{ 0, RADIUS_ATTR_CHAP_CHALLENGE, FMT_OCTETS, "CHAP-Challenge" },
	{ 0, RADIUS_ATTR_NAS_PORT_TYPE, FMT_INTEGER, "NAS-Port-Type" },
	{ 0, RADIUS_ATTR_TUNNEL_TYPE, FMT_OCTETS, "Tunnel-Type" },
	{ 0, RADIUS_ATTR_TUNNEL_MEDIUM_TYPE, FMT_OCTETS, "Tunnel-Medium-Type" },
	{ 0, RADIUS_ATTR_TUNNEL_CLIENT_ENDPOINT, FMT_OCTETS, "Tunnel-Client-Endpoint" },
	{ 0, RADIUS_ATTR_TUNNEL_SERVER_ENDPOINT, FMT_OCTETS, "Tunnel-Server-Endpoint" },
	{ 0, RADIUS_ATTR_TUNNEL_PASSWORD, FMT_SECRET, "Tunnel-Password" },
	{ 0, RADIUS_ATTR_CONNECT_INFO, FMT_STRING, "Connect-Info" },
	{ 0, RADIUS_ATTR_MESSAGE_AUTHENTICATOR, FMT_SECRET, "Message-Authenticator" },
	{ 0, RADIUS_ATTR_TUNNEL_PRIVATE_GROUP_ID, FMT_OCTETS, "Tunnel-Private-Group-Id" },
	{ 0, RADIUS_ATTR_TUNNEL_ASSIGNMENT_ID, FMT_OCTETS, "Tunnel-Assignment-Id" },
	{ 0, RADIUS_ATTR_TUNNEL_PREFERENCE, FMT_OCTETS, "Tunnel-Preference" },
	{ 0, RADIUS_ATTR_ACCT_INTERIM_INTERVAL, FMT_INTEGER, "Acct-Interim-Interval" },
	{ 0, RADIUS_ATTR_NAS_PORT_ID, FMT_STRING, "NAS-Port-Id" },
	{ 0, RADIUS_ATTR_FRAMED_POOL, FMT_STRING, "Framed-Pool" },
	{ 0, RADIUS_ATTR_TUNNEL_CLIENT_AUTH_ID, FMT_OCTETS, "Tunnel-Client-Auth-Id" },
	{ 0, RADIUS_ATTR_TUNNEL_SERVER_AUTH_ID, FMT_OCTETS, "Tunnel-Server-Auth-Id" },
	{ 0, RADIUS_ATTR_NAS_IPV6_ADDRESS, FMT_OCTETS, "NAS-IPv6-Address" },
	{ 0, RADIUS_ATTR_FRAMED_INTERFACE_ID, FMT_OCTETS, "Framed-Interface-Id" },
	{ 0, RADIUS_ATTR_FRAMED_IPV6_PREFIX, FMT_OCTETS, "Framed-IPv6-Prefix" },
	{ 0, RADIUS_ATTR_FRAMED_IPV6_ROUTE, FMT_STRING, "Framed-IPv6-Route" },
	{ 0, RADIUS_ATTR_FRAMED_IPV6_POOL, FMT_STRING, "Framed-IPv6-Pool" },
	{ 0, RADIUS_ATTR_DELEGATED_IPV6_PREFIX, FMT_OCTETS, "Delegated-IPv6-Prefix" },
	{ 0, RADIUS_ATTR_FRAMED_IPV6_ADDRESS, FMT_OCTETS, "Framed-IPv6-Address" },
	{ 0, RADIUS_ATTR_DNS_SERVER_IPV6_ADDRESS, FMT_OCTETS, "DNS-Server-IPv6-Address" },
	{ 0, RADIUS_ATTR_DELEGATED_IPV6_PREFIX_POOL, FMT_STRING, "Delegated-IPv6-Prefix-Pool" },
	{ 0, RADIUS_ATTR_STATEFUL_IPV6_ADDRESS_POOL, FMT_STRING, "Stateful-IPv6-Address-Pool" },
	{ 0, RADIUS_ATTR_ERROR_CAUSE, FMT_INTEGER, "Error-Cause" },
	{ RADIUS_VENDOR_CISCO, RADIUS_CISCO_AVPAIR, FMT_STRING, "Cisco-AVPair" },
	{ RADIUS_VENDOR_MICROSOFT, RADIUS_MS_CHAP_RESPONSE, FMT_SECRET, "MS-CHAP-Response" },
	{ RADIUS_VENDOR_MICROSOFT, RADIUS_MS_CHAP_ERROR, FMT_STRING, "MS-CHAP-Error" },
	{ RADIUS_VENDOR_MICROSOFT, RADIUS_MS_CHAP_CHALLENGE, FMT_OCTETS, "MS-CHAP-Challenge" },
	{ RADIUS_VENDOR_MICROSOFT, RADIUS_MS_MPPE_SEND_KEY, FMT_SECRET, "MS-MPPE-Send-Key" },
	{ RADIUS_VENDOR_MICROSOFT, RADIUS_MS_MPPE_RECV_KEY, FMT_SECRET, "MS-MPPE-Recv-Key" },
	{ RADIUS_VENDOR_MICROSOFT, RADIUS_MS_CHAP2_RESPONSE, FMT_SECRET, "MS-CHAP2-Response" },
	{ RADIUS_VENDOR_MICROSOFT, RADIUS_MS_CHAP2_SUCCESS, FMT_SECRET, "MS-CHAP2-Success" },
	/* MS-MPPE-Encryption-Policy / -Types: FreeRADIUS sends them with MS-CHAPv2 */
	{ RADIUS_VENDOR_MICROSOFT, 7, FMT_INTEGER, "MS-MPPE-Encryption-Policy" },
	{ RADIUS_VENDOR_MICROSOFT, 8, FMT_INTEGER, "MS-MPPE-Encryption-Types" },
};

static const struct radius_dict_entry *radius_builtin_find(uint32_t vendor, uint8_t type)
{
	for (size_t i = 0; i < ARRAY_SIZE(radius_builtin); i++)
		if (radius_builtin[i].vendor == vendor && radius_builtin[i].type == type)
			return &radius_builtin[i];
	return NULL;
}

int radius_dict_known(uint32_t vendor, uint8_t type)
{
	return radius_builtin_find(vendor, type) != NULL;
}

/*
 * Read one file into radcli.  From a buffer: rc_read_dictionary() keeps a
 * copy of the file name it never frees (radcli 1.2.11).  $INCLUDE lines
 * would need the name; the files read here have none in use.
 */
static int radius_dict_read(rc_handle *rh, const char *path)
{
	FILE *f = fopen(path, "re");
	char *buf;
	size_t n;
	int rc;

	if (f == NULL)
		return -errno;
	buf = malloc(RADIUS_DICT_FILE_MAX + 1);
	if (buf == NULL) {
		fclose(f);
		return -ENOMEM;
	}
	n = fread(buf, 1, RADIUS_DICT_FILE_MAX + 1, f);
	fclose(f);
	if (n > RADIUS_DICT_FILE_MAX) {
		free(buf);
		return -EFBIG;
	}
	buf[n] = '\0';
	rc = rc_read_dictionary_from_buffer(rh, buf, n);
	free(buf);
	return rc == 0 ? 0 : -EINVAL;
}

struct radius_dict *radius_dict_load(char *note, size_t notesz)
{
	struct radius_dict *dict = calloc(1, sizeof *dict);
	size_t len = 0;
	int cisco = 0;

	if (notesz)
		note[0] = '\0';
	if (dict == NULL) {
		snprintf(note, notesz, "out of memory");
		return NULL;
	}
	dict->rh = rc_new();
	if (dict->rh == NULL) {
		free(dict);
		snprintf(note, notesz, "radcli: out of memory");
		return NULL;
	}
	for (size_t i = 0; i < ARRAY_SIZE(radius_dict_files); i++) {
		const char *f = radius_dict_files[i];
		int is_cisco = strstr(f, "cisco") != NULL;

		if ((is_cisco && cisco) || access(f, R_OK) != 0)
			continue;
		/* the main dictionary first: the others may refer to it */
		if (radius_dict_read(dict->rh, f) != 0) {
			if (len < notesz)
				len += (size_t)snprintf(note + len, notesz - len, "%sunreadable %s",
							len ? ", " : "", f);
			continue;
		}
		cisco |= is_cisco;
		dict->n_files++;
		if (len < notesz)
			len += (size_t)snprintf(note + len, notesz - len, "%s%s", len ? ", " : "", f);
	}
	if (dict->n_files == 0) {
		radius_dict_free(dict);
		if (len == 0)
			snprintf(note, notesz, "no dictionary found");
		return NULL;
	}
	return dict;
}

void radius_dict_free(struct radius_dict *dict)
{
	if (dict == NULL)
		return;
	if (dict->rh)
		rc_destroy(dict->rh);
	free(dict);
}

static const DICT_ATTR *radius_dict_attr(const struct radius_dict *dict, uint32_t vendor,
					 uint8_t type)
{
	if (dict == NULL || vendor > 0xffff)
		return NULL;
	return rc_dict_getattr(dict->rh, (int)(vendor << 16 | type));
}

const char *radius_dict_name(const struct radius_dict *dict, uint32_t vendor, uint8_t type,
			     char *buf, size_t size)
{
	const struct radius_dict_entry *b = radius_builtin_find(vendor, type);
	const DICT_ATTR *da;

	/* radcli calls User-Password "Password": the RFC's names where we have them */
	if (b != NULL)
		return b->name;
	da = radius_dict_attr(dict, vendor, type);
	if (da != NULL)
		return da->name;
	if (vendor)
		snprintf(buf, size, "Vendor-%u-Attr-%u", vendor, type);
	else
		snprintf(buf, size, "Attr-%u", type);
	return buf;
}

static enum radius_fmt radius_dict_fmt(const struct radius_dict *dict,
				       const struct radius_attr *a, const char **name)
{
	const struct radius_dict_entry *b;
	const DICT_ATTR *da;

	*name = NULL;
	if (a->type == RADIUS_ATTR_VENDOR_SPECIFIC && a->vtype == 0)
		return FMT_OCTETS;
	b = radius_builtin_find(a->vendor, a->vendor ? a->vtype : a->type);
	da = radius_dict_attr(dict, a->vendor, a->vendor ? a->vtype : a->type);
	if (da)
		*name = da->name;
	if (b)
		return b->fmt;
	if (da == NULL)
		return FMT_OCTETS;
	switch (da->type) {
	case PW_TYPE_STRING: return FMT_STRING;
	case PW_TYPE_INTEGER: return FMT_INTEGER;
	case PW_TYPE_IPADDR: return FMT_ADDR;
	case PW_TYPE_DATE: return FMT_DATE;
	default: return FMT_OCTETS;
	}
}

static size_t radius_fmt_string(char *buf, size_t size, const uint8_t *v, size_t len)
{
	size_t n = 0;

	if (size < 3)
		return 0;
	buf[n++] = '"';
	for (size_t i = 0; i < len && n + 6 < size; i++) {
		if (v[i] >= 0x20 && v[i] < 0x7f && v[i] != '"' && v[i] != '\\')
			buf[n++] = (char)v[i];
		else
			n += (size_t)snprintf(buf + n, size - n, "\\%03o", v[i]);
	}
	buf[n++] = '"';
	buf[n] = '\0';
	return n;
}

static void radius_fmt_hex(char *buf, size_t size, const uint8_t *v, size_t len)
{
	size_t n = (size_t)snprintf(buf, size, "0x");

	for (size_t i = 0; i < len && n + 3 < size; i++)
		n += (size_t)snprintf(buf + n, size - n, "%02x", v[i]);
}

void radius_dict_format(const struct radius_dict *dict, const struct radius_attr *a, char *buf,
			size_t size)
{
	char nbuf[48], val[200];
	const char *dname;
	enum radius_fmt fmt = radius_dict_fmt(dict, a, &dname);
	const char *name = radius_dict_name(dict, a->vendor, a->vendor ? a->vtype : a->type,
					    nbuf, sizeof nbuf);
	uint32_t u;

	if (size == 0)
		return;
	if (a->type == RADIUS_ATTR_VENDOR_SPECIFIC && a->vtype == 0) {
		snprintf(nbuf, sizeof nbuf, "Vendor-%u", a->vendor);
		name = nbuf;
	}
	switch (fmt) {
	case FMT_SECRET:
		snprintf(val, sizeof val, "<%u octets>", a->len);
		break;
	case FMT_STRING:
		radius_fmt_string(val, sizeof val, a->val, a->len);
		break;
	case FMT_INTEGER:
	case FMT_DATE:
		if (radius_get_u32(a, &u) == 0) {
			const DICT_VALUE *dv = dict && dname && fmt == FMT_INTEGER ?
				rc_dict_getval(dict->rh, u, dname) : NULL;

			if (dv)
				snprintf(val, sizeof val, "%s", dv->name);
			else
				snprintf(val, sizeof val, "%u", u);
			break;
		}
		radius_fmt_hex(val, sizeof val, a->val, a->len);
		break;
	case FMT_ADDR:
		if (a->len == 4 && inet_ntop(AF_INET, a->val, val, sizeof val))
			break;
		radius_fmt_hex(val, sizeof val, a->val, a->len);
		break;
	default:
		radius_fmt_hex(val, sizeof val, a->val, a->len);
		break;
	}
	snprintf(buf, size, "%s=%s", name, val);
}

void radius_dict_format_msg(const struct radius_dict *dict, const struct radius_msg *m,
			    char *buf, size_t size)
{
	char one[256];
	size_t n = 0;

	if (size == 0)
		return;
	buf[0] = '\0';
	for (unsigned i = 0; i < m->n && n + 1 < size; i++) {
		radius_dict_format(dict, &m->a[i], one, sizeof one);
		n += (size_t)snprintf(buf + n, size - n, "%s%s", i ? " " : "", one);
	}
}
