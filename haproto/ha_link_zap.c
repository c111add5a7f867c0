/*
 * The checkpoint link's ZAP handler (ZeroMQ RFC 27, ha_link_int.h): a REP
 * socket bound at inproc://zeromq.zap.01 in the link's own ZeroMQ context
 * answers the CURVE server's questions, admitting the peer's public key
 * (cfg.peer_key) and no other.  Refusals are counted and logged at most once
 * per 10 s.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <zmq.h>

#include "haproto/ha_link_int.h"

static void zap_log_refusal(struct ha_link *l, const char *addr, const uint8_t *key,
			    size_t key_len)
{
	char z85[HA_KEY_LEN + 1] = "?";
	uint64_t now = ha_link_now_ms(l);

	l->st.auth_refused++;
	/* Rate-limited: a misconfigured standby retries every 100 ms. */
	if (l->st.auth_refused > 1 && now - l->refusal_logged_ms < LINK_REFUSAL_LOG_MS) {
		l->refusals_quiet++;
		return;
	}
	if (key_len == 32)
		zmq_z85_encode(z85, key, 32);
	ha_link_log(l, LOG_WARNING, "refused checkpoint client %s: CURVE key %s is not the "
		    "peer's (%llu more refusals not logged)", addr, z85,
		    (unsigned long long)l->refusals_quiet);
	l->refusal_logged_ms = now;
	l->refusals_quiet = 0;
}

#define ZAP_FRAMES	7	/* version, id, domain, address, identity, mechanism, key */

int ha_link_zap_read(struct ha_link *l)
{
	zmq_msg_t f[ZAP_FRAMES + 1];
	char addr[64] = "";
	int n = 0, more = 1, ok, i;
	size_t len;

	/* Read every frame of the request, keeping the first ZAP_FRAMES. */
	while (more) {
		zmq_msg_t *m = &f[n < ZAP_FRAMES ? n : ZAP_FRAMES];

		zmq_msg_init(m);
		if (zmq_msg_recv(m, l->zap, ZMQ_DONTWAIT) < 0) {
			ha_link_received(l, l->zap, 0);
			zmq_msg_close(m);
			if (n == 0)
				return 0;	/* EAGAIN: nothing there */
			break;
		}
		ha_link_received(l, l->zap, 1);
		more = zmq_msg_more(m);
		if (n >= ZAP_FRAMES)
			zmq_msg_close(m);
		n++;
	}
	if (n > ZAP_FRAMES)
		n = ZAP_FRAMES;

	if (n >= 4) {
		len = zmq_msg_size(&f[3]);
		if (len >= sizeof(addr))
			len = sizeof(addr) - 1;
		memcpy(addr, zmq_msg_data(&f[3]), len);
		addr[len] = '\0';
	}
	ok = n == 7 && zmq_msg_size(&f[0]) == 3 && memcmp(zmq_msg_data(&f[0]), "1.0", 3) == 0 &&
	     zmq_msg_size(&f[5]) == 5 && memcmp(zmq_msg_data(&f[5]), "CURVE", 5) == 0 &&
	     zmq_msg_size(&f[6]) == 32 && memcmp(zmq_msg_data(&f[6]), l->peer_pub, 32) == 0;
	if (!ok)
		zap_log_refusal(l, addr, n == 7 ? zmq_msg_data(&f[6]) : NULL,
				     n == 7 ? zmq_msg_size(&f[6]) : 0);

	/* A REP socket must answer before it can read the next request, so
	 * even a malformed one gets its 400.  Reply: version, request id,
	 * status code, status text, user id, metadata. */
	zmq_send(l->zap, "1.0", 3, ZMQ_SNDMORE | ZMQ_DONTWAIT);
	if (n >= 2)
		zmq_send(l->zap, zmq_msg_data(&f[1]), zmq_msg_size(&f[1]),
			 ZMQ_SNDMORE | ZMQ_DONTWAIT);
	else
		zmq_send(l->zap, "", 0, ZMQ_SNDMORE | ZMQ_DONTWAIT);
	zmq_send(l->zap, ok ? "200" : "400", 3, ZMQ_SNDMORE | ZMQ_DONTWAIT);
	zmq_send(l->zap, ok ? "OK" : "not the peer's key", ok ? 2 : 18,
		 ZMQ_SNDMORE | ZMQ_DONTWAIT);
	zmq_send(l->zap, ok ? "peer" : "", ok ? 4 : 0, ZMQ_SNDMORE | ZMQ_DONTWAIT);
	zmq_send(l->zap, "", 0, ZMQ_DONTWAIT);
	ha_link_touched(l, l->zap);
	for (i = 0; i < n; i++)
		zmq_msg_close(&f[i]);
	return 1;
}

int ha_link_zap_open(struct ha_link *l, char *err, size_t errsz)
{
	l->zap = zmq_socket(l->ctx, ZMQ_REP);
	if (!l->zap || ha_link_setopt_int(l->zap, ZMQ_LINGER, 0) < 0 ||
	    zmq_bind(l->zap, LINK_ZAP_ENDPOINT) < 0) {
		snprintf(err, errsz, "ZAP handler: %s", zmq_strerror(errno));
		return -EIO;
	}
	ha_link_io_watch(l, &l->zap_io, l->zap);
	return 0;
}
