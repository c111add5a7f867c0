/*
 * TCP MSS clamping in the kernel (IOS `ip tcp adjust-mss N` on sessions
 * the kernel carries): the pppN of a session whose template asks for N is
 * put in interface group NFT_MSS_GROUP_BASE + N (IFLA_GROUP, rtnl.h), and
 * the daemon keeps one nftables table of its own, `inet l2tpd`, whose
 * forward-hook chain (mangle priority) holds, for each N in use, the rule
 *
 *	oifgroup G tcp flags & syn == syn tcp option maxseg size > N
 *		counter tcp option maxseg size set N
 *
 * and the same with iifgroup: the SYN and SYN-ACK of a connection crossing
 * the subscriber's interface either way carry at most N (RFC 9293
 * §3.7.1).  One rule pair per distinct N, not per session: a session costs
 * one IFLA_GROUP attribute and nothing else.
 *
 * The table is written as nft(8) text through libnftables, in one
 * transaction that replaces the whole table (`table` + `delete table` +
 * the new table: nft applies a file atomically), so a reload never leaves
 * it half made.
 */
#ifndef NFT_MSS_H
#define NFT_MSS_H

#include <stddef.h>
#include <stdint.h>

#define NFT_MSS_TABLE		"l2tpd"		/* table inet l2tpd */
#define NFT_MSS_CHAIN		"mss_clamp"
/* Groups NFT_MSS_GROUP_BASE + 500 .. + 1460 (the range of adjust-mss):
 * an operator's own interface groups must stay out of it. */
#define NFT_MSS_GROUP_BASE	100000u
#define NFT_MSS_MIN		500u
#define NFT_MSS_MAX		1460u
/* Distinct values in one table, and the text that holds them. */
#define NFT_MSS_VALUES_MAX	32
#define NFT_MSS_TEXT_MAX	16384

/* The interface group of MSS value mss; 0 when mss is out of range. */
uint32_t nft_mss_group(unsigned mss);

/*
 * The nft(8) text that makes the table hold exactly the rules for the n
 * values of mss (each in NFT_MSS_MIN..NFT_MSS_MAX, no duplicates); n 0:
 * the text that removes the table.  Written into buf: the length, or
 * -EINVAL (a value out of range, a duplicate), -EMSGSIZE.
 */
int nft_mss_ruleset(char *buf, size_t size, const uint16_t *mss, size_t n);

/* Run text through libnftables in this process (its network namespace,
 * CAP_NET_ADMIN): 0, or -EIO with nft's first error line in err. */
int nft_mss_apply(const char *text, char *err, size_t errsz);

/* Both: the table made to hold exactly the n values (n 0: removed), in
 * this process's network namespace; -EINVAL, -EIO with the reason in err. */
int nft_mss_set(const uint16_t *mss, size_t n, char *err, size_t errsz);

#endif
