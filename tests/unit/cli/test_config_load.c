/*
 * The configuration file reader (cli/config_load.c): syntax (comments,
 * CRLF, indentation, case, exit), the refused files with their line number
 * and reason, all or nothing, files on disk, and the shipped example
 * (doc/l2tpd.conf.example, found through TOP_SRCDIR).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_check.h"
#include "cli/config_load.h"
#include "core/config.h"

/* Refused files, each with its line and reason. */
static const struct cli_bad_case bad_cases[] = {
	/* unknown command: say which word */
	{ "hostname a\nfoo bar\n", "line 2: unknown command 'foo'" },
	{ "vpdn-group A\n l2tp tunnel foo 1\n",
	  "line 2: unknown word 'foo' after 'l2tp tunnel' (expected " },
	{ "vpdn enable now\n", "line 1: unexpected word 'now' after 'vpdn enable'" },
	{ "vpdn-group A\n accept-dialin\n  protocol pptp\n",
	  "line 3: unknown word 'pptp' after 'protocol' (expected l2tp)" },
	/* bad numbers and ranges */
	{ "vpdn-group A\n l2tp tunnel hello abc\n",
	  "line 2: l2tp tunnel hello: 'abc' is not a number (expected <0-1000>)" },
	{ "vpdn-group A\n l2tp tunnel hello -1\n", "line 2: l2tp tunnel hello: '-1' is not a number" },
	{ "vpdn-group A\n l2tp tunnel hello 1001\n",
	  "line 2: l2tp tunnel hello: 1001 is out of range 0-1000" },
	{ "vpdn-group A\n l2tp tunnel retransmit timeout min 9\n",
	  "line 2: l2tp tunnel retransmit timeout min: 9 is out of range 1-8" },
	{ "vpdn-group A\n l2tp tunnel retransmit retries 0\n", "out of range 1-1000" },
	{ "vpdn-group A\n l2tp tunnel receive-window 65536\n",
	  "line 2: l2tp tunnel receive-window: 65536 is out of range 1-65535" },
	{ "l2tp port 99999999999\n", "line 1: l2tp port: '99999999999' is not a number" },
	{ "\n\nvpdn-group A\n l2tp tunnel retransmit timeout max 2\n"
	  " l2tp tunnel retransmit timeout min 3\n", "line 5: l2tp tunnel retransmit timeout min: "
	  "3 is above the timeout max (2)" },
	{ "vpdn-group A\n l2tp tunnel retransmit timeout min 4\n"
	  " l2tp tunnel retransmit timeout max 3\n", "line 3: l2tp tunnel retransmit timeout max: "
	  "3 is below the timeout min (4)" },
	{ "vpdn source-ip 1.2.3\n", "line 1: vpdn source-ip: '1.2.3' is not an IPv4 address" },
	{ "vpdn-group A\n initiate-to ip 0.0.0.0\n", "line 2: initiate-to ip: 0.0.0.0 is not" },
	{ "vpdn-group A\n initiate-to ip 10.0.0.1 port 0\n",
	  "line 2: initiate-to ip 10.0.0.1 port: 0 is out of range 1-65535" },
	/* missing arguments */
	{ "vpdn-group A\n l2tp tunnel hello\n",
	  "line 2: l2tp tunnel hello: missing argument <0-1000>" },
	{ "vpdn-group\n", "line 1: vpdn-group: missing argument WORD" },
	{ "hostname\n", "line 1: hostname: missing argument WORD" },
	{ "vpdn-group A\n l2tp tunnel\n", "line 2: l2tp tunnel: incomplete command (expected " },
	{ "vpdn-group A\n initiate-to ip 10.0.0.1 port\n", "missing argument <1-65535>" },
	/* wrong mode */
	{ "l2tp tunnel hello 5\n", "line 1: 'l2tp' is not valid in top-level mode "
	  "(it belongs in vpdn-group mode" },
	{ "vpdn-group A\nlocal name x\n", "line 2: 'local' is not valid in top-level mode" },
	{ "vpdn-group A\n vpdn enable\n", "line 2: 'vpdn' is not valid in vpdn-group mode "
	  "(it belongs in top-level mode)" },
	{ "vpdn-group A\n l2tp port 1701\n", "line 2: 'l2tp' is not valid in vpdn-group mode" },
	{ "vpdn-group A\n protocol l2tp\n", "line 2: 'protocol' is not valid in vpdn-group mode "
	  "(it belongs in accept-dialin or request-dialin mode)" },
	{ "vpdn-group A\n accept-dialin\n  domain x\n",
	  "line 3: 'domain' is not valid in accept-dialin mode (it belongs in request-dialin" },
	{ "vpdn-group A\n accept-dialin\n  l2tp tunnel hello 5\n",
	  "line 3: 'l2tp' is not valid in accept-dialin mode (it belongs in vpdn-group mode)" },
	{ "show vpdn\n", "line 1: 'show' is an EXEC command" },
	{ "exit\n", "line 1: 'exit' at top level" },
	/* vpdn search-order: the domain is the only key */
	{ "vpdn search-order dnis domain\n", "line 1: vpdn search-order: dnis is not supported: "
	  "PPPoE calls carry no DNIS" },
	{ "vpdn search-order domain multihop-hostname\n", "line 1: vpdn search-order: "
	  "multihop-hostname is not supported" },
	{ "vpdn search-order domain domain\n", "line 1: vpdn search-order: domain is given twice" },
	{ "vpdn search-order realm\n", "line 1: vpdn search-order: 'realm' is not a key" },
	{ "interface Virtual-Template1\n ip tcp adjust-mss 400\n",
	  "line 2: ip tcp adjust-mss: 400 is out of range 500-1460" },
	/* group rules */
	{ "vpdn-group A\n accept-dialin\n request-dialin\n",
	  "line 3: request-dialin: vpdn-group A already has accept-dialin" },
	{ "vpdn-group A\n request-dialin\n  protocol l2tp\n!\n",
	  "line 1: vpdn-group A: request-dialin needs 'initiate-to ip A.B.C.D'" },
	{ "hostname h\nvpdn-group A\n l2tp hidden\n",
	  "line 2: vpdn-group A: 'l2tp hidden' needs 'l2tp tunnel password'" },
	{ "no vpdn-group B\n", "line 1: no vpdn-group: no group named 'B'" },
	/* indentation */
	{ "hostname a\n vpdn enable\n", "line 2: unexpected indentation" },
	{ "vpdn-group A\n accept-dialin\n\tprotocol l2tp\n",
	  "line 3: indentation mixes tabs and spaces" },
	{ "vpdn-group A\n\taccept-dialin\n  \tprotocol l2tp\n",
	  "line 3: indentation mixes tabs and spaces" },
	{ "vpdn-group A\n\taccept-dialin\n\t\tprotocol l2tp\n        local name x\n",
	  "line 4: indentation mixes tabs and spaces" },
	{ "vpdn-group A\n  accept-dialin\n    protocol l2tp\n local name x\n",
	  "line 4: indentation does not match any enclosing mode" },
	{ "vpdn-group A\n accept-dialin\n  exit\n  protocol l2tp\n",
	  "line 4: unexpected indentation: the mode was left with 'exit' on line 3" },
	/* lexical */
	{ "hostname a\001b\n", "line 1: control character" },
	{ "hostname aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n",
	  "line 1: hostname: 'aaaaaaaaaaaaaaaaaaaa...' is too long (at most 63 characters)" },
	{ "vpdn-group A\n l2tp tunnel password "
	  "pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp"
	  "pppppppppppppppppppppppppppppppppppppppppppppppppppppppppp\n",
	  "line 2: l2tp tunnel password: 'pppppppppppppppppppp...' is too long (at most 127" },
	{ "no\n", "line 1: no: incomplete command" },
	/* username */
	{ "username bob\n", "line 1: username bob: incomplete command (expected password)" },
	{ "username bob password\n", "line 1: username bob password: missing argument WORD" },
	{ "username bob password a b\n", "line 1: unexpected word 'b' after 'username bob "
	  "password a'" },
	{ "username\n", "line 1: username: missing argument WORD" },
	{ "no username\n", "line 1: no username: missing argument WORD (the user name)" },
	{ "username bob password x\nno username carol\n",
	  "line 2: no username: no user named 'carol'" },
	{ "username aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa password x\n",
	  "line 1: username: name 'aaaaaaaaaaaaaaaaaaaa...' is too long (at most 63 characters)" },
	{ "username bob password "
	  "pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp"
	  "pppppppppppppppppppppppppppppppppppppppppppppppppp\n",
	  "line 1: username bob password: 'pppppppppppppppppppp...' is too long (at most 127" },
	{ "vpdn-group A\n username bob password x\n", "line 2: 'username' is not valid in "
	  "vpdn-group mode (it belongs in top-level mode)" },
	/* ip local pool */
	{ "ip local pool P\n", "line 1: ip local pool P: missing argument A.B.C.D" },
	{ "ip local pool P x\n", "line 1: ip local pool P: 'x' is not an IPv4 address" },
	{ "ip local pool P 10.0.0.1 10.0.0.x\n",
	  "line 1: ip local pool P 10.0.0.1: '10.0.0.x' is not an IPv4 address (A.B.C.D)" },
	{ "ip local pool P 10.0.0.1 10.0.0.2 10.0.0.3\n", "line 1: unexpected word '10.0.0.3'" },
	{ "ip local pool P 10.0.0.10 10.0.0.9\n",
	  "line 1: ip local pool P: the first address 10.0.0.10 is above the last 10.0.0.9" },
	{ "ip local pool P 10.0.0.1 9.255.255.255\n", "line 1: ip local pool P: the first "
	  "address 10.0.0.1 is above the last 9.255.255.255" },
	{ "ip local pool P 10.0.0.0 10.1.0.0\n",
	  "line 1: ip local pool P: 10.0.0.0-10.1.0.0 holds 65537 addresses (at most 65536)" },
	{ "ip local pool P 0.0.0.0 10.0.0.0\n",
	  "line 1: ip local pool P: 0.0.0.0-10.0.0.0 holds 167772161 addresses (at most 65536)" },
	{ "ip local pool P 0.0.0.0 0.0.0.9\n",
	  "line 1: ip local pool P: 0.0.0.0 cannot be given to a subscriber" },
	{ "ip local pool P 255.255.255.0 255.255.255.255\n",
	  "line 1: ip local pool P: 255.255.255.255 cannot be given to a subscriber" },
	{ "ip local pool A 10.0.0.1 10.0.0.10\n!\nip local pool B 10.0.0.10 10.0.0.20\n",
	  "line 3: ip local pool B: overlaps pool A (10.0.0.1-10.0.0.10)" },
	{ "ip local pool A 10.0.0.5 10.0.0.10\nip local pool B 10.0.0.1\n"
	  "ip local pool B 10.0.0.1 10.0.0.5\n", "line 3: ip local pool B: overlaps pool A" },
	{ "no ip local pool Z\n", "line 1: no ip local pool: no pool named 'Z'" },
	{ "no ip local pool\n", "line 1: no ip local pool: missing argument WORD (the pool name)" },
	{ "ip local pool aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa 10.0.0.1\n",
	  "line 1: ip local pool: name 'aaaaaaaaaaaaaaaaaaaa...' is too long (at most 63" },
	{ "ip pool P 10.0.0.1\n", "line 1: unknown word 'pool' after 'ip' (expected local)" },
	/* interface Virtual-Template */
	{ "interface Virtual-Template 0\n",
	  "line 1: interface Virtual-Template: 0 is out of range 1-65535" },
	{ "interface Virtual-Template 65536\n",
	  "line 1: interface Virtual-Template: 65536 is out of range 1-65535" },
	{ "interface Virtual-Template0\n",
	  "line 1: interface Virtual-Template: 0 is out of range 1-65535" },
	{ "interface Virtual-Template1x\n",
	  "line 1: interface Virtual-Template: '1x' is not a number (expected <1-65535>)" },
	{ "interface Virtual-Template\n",
	  "line 1: interface Virtual-Template: missing argument <1-65535>" },
	{ "interface Gi0/1\n",
	  "line 1: interface: 'Gi0/1' is not an interface name (Virtual-Template <1-65535>, or "
	  "a network interface of at most 15 characters)" },
	{ "interface eth1\n pppoe enable group nope\n",
	  "line 1: interface eth1: 'pppoe enable group nope' names no bba-group (no 'bba-group "
	  "pppoe nope' by the end of the file)" },
	{ "interface eth1\n encapsulation dot1Q 100\n",
	  "line 2: encapsulation dot1Q: eth1 is not a sub-interface (write 'interface eth1.100')" },
	{ "bba-group pppoe g\n pado delay 10001\n", "line 2: pado delay:" },
	{ "interface eth1.100\n encapsulation dot1Q 4095\n", "line 2: encapsulation dot1Q:" },
	{ "interface\n", "line 1: interface: incomplete command (expected Virtual-Template, WORD)" },
	{ "no interface Virtual-Template 3\n",
	  "line 1: no interface Virtual-Template: Virtual-Template 3 does not exist" },
	{ "no interface Virtual-Template3\n",
	  "line 1: no interface Virtual-Template: Virtual-Template 3 does not exist" },
	{ "no interface Virtual-Template\n",
	  "line 1: no interface Virtual-Template: missing argument <1-65535>" },
	{ "interface Virtual-Template 1\n ip address 10.0.0.1 255.255.255.0\n",
	  "line 2: ip address: mask 255.255.255.0 is not accepted, only 255.255.255.255" },
	{ "interface Virtual-Template 1\n ip address 10.0.0.1\n",
	  "line 2: ip address 10.0.0.1: missing argument A.B.C.D" },
	{ "interface Virtual-Template 1\n ip address 0.0.0.0 255.255.255.255\n",
	  "line 2: ip address: 0.0.0.0 is not a usable address" },
	{ "interface Virtual-Template 1\n ip address 10.0.0.1 255.255.255.256\n",
	  "line 2: ip address 10.0.0.1: '255.255.255.256' is not an IPv4 address" },
	{ "interface Virtual-Template 1\n mtu 575\n", "line 2: mtu: 575 is out of range 576-9000" },
	{ "interface Virtual-Template 1\n mtu 9001\n", "line 2: mtu: 9001 is out of range 576-9000" },
	{ "interface Virtual-Template 1\n mtu\n", "line 2: mtu: missing argument <576-9000>" },
	{ "interface Virtual-Template 1\n ppp authentication pap chap PAP\n",
	  "line 2: ppp authentication: pap is given twice" },
	{ "interface Virtual-Template 1\n ppp authentication chap chap\n",
	  "line 2: ppp authentication: chap is given twice" },
	{ "interface Virtual-Template 1\n ppp authentication eap\n",
	  "line 2: unknown word 'eap' after 'ppp authentication' (expected {pap|chap|ms-chap-v2})" },
	{ "interface Virtual-Template 1\n ppp authentication pap eap\n",
	  "line 2: unknown word 'eap' after 'ppp authentication pap' (expected {pap|chap|" },
	{ "interface Virtual-Template 1\n ppp authentication pap chap ms-chap-v2 pap\n",
	  "line 2: unexpected word 'pap' after 'ppp authentication pap chap ms-chap-v2'" },
	{ "interface Virtual-Template 1\n ppp authentication\n",
	  "line 2: ppp authentication: incomplete command (expected {pap|chap|ms-chap-v2})" },
	{ "interface Virtual-Template 1\n keepalive 32768\n",
	  "line 2: keepalive: 32768 is out of range 0-32767" },
	{ "interface Virtual-Template 1\n keepalive 10 0\n",
	  "line 2: keepalive 10: 0 is out of range 1-255" },
	{ "interface Virtual-Template 1\n keepalive 10 256\n",
	  "line 2: keepalive 10: 256 is out of range 1-255" },
	{ "interface Virtual-Template 1\n keepalive 10 x\n",
	  "line 2: keepalive 10: 'x' is not a number (expected <1-255>)" },
	{ "interface Virtual-Template 1\n keepalive\n",
	  "line 2: keepalive: missing argument <0-32767>" },
	{ "interface Virtual-Template 1\n ppp timeout idle 4294968\n",
	  "line 2: ppp timeout idle: 4294968 is out of range 0-4294967" },
	{ "interface Virtual-Template 1\n ppp timeout absolute -1\n",
	  "line 2: ppp timeout absolute: '-1' is not a number" },
	{ "interface Virtual-Template 1\n ppp timeout\n",
	  "line 2: ppp timeout: incomplete command (expected idle, absolute)" },
	{ "interface Virtual-Template 1\n ppp ipcp dns 0.0.0.0\n",
	  "line 2: ppp ipcp dns: 0.0.0.0 is not a usable server address" },
	{ "interface Virtual-Template 1\n ppp ipcp dns 192.0.2.1 255.255.255.255\n",
	  "line 2: ppp ipcp dns: 255.255.255.255 is not a usable server address" },
	{ "interface Virtual-Template 1\n ppp ipcp dns 192.0.2.1 192.0.2\n",
	  "line 2: ppp ipcp dns 192.0.2.1: '192.0.2' is not an IPv4 address" },
	{ "interface Virtual-Template 1\n peer default ip address pool\n",
	  "line 2: peer default ip address pool: missing argument WORD" },
	{ "interface Virtual-Template 1\n peer default ip address pool "
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n",
	  "line 2: peer default ip address pool: 'aaaaaaaaaaaaaaaaaaaa...' is too long (at most 63" },
	{ "interface Virtual-Template 1\n ipv6 enable now\n",
	  "line 2: unexpected word 'now' after 'ipv6 enable'" },
	{ "mtu 1500\n", "line 1: 'mtu' is not valid in top-level mode (it belongs in interface "
	  "mode; indent it under its command)" },
	{ "interface Virtual-Template 1\nppp authentication pap\n",
	  "line 2: 'ppp' is not valid in top-level mode (it belongs in interface mode" },
	{ "interface Virtual-Template 1\n ip local pool P 10.0.0.1\n",
	  "line 2: 'ip' is not valid in interface mode (it belongs in top-level mode)" },
	{ "interface Virtual-Template 1\n vpdn-group A\n",
	  "line 2: 'vpdn-group' is not valid in interface mode (it belongs in top-level mode)" },
	{ "interface Virtual-Template 1\n local name x\n",
	  "line 2: 'local' is not valid in interface mode (it belongs in vpdn-group mode)" },
	{ "vpdn-group A\n accept-dialin\n  mtu 1500\n",
	  "line 3: 'mtu' is not valid in accept-dialin mode (it belongs in interface mode)" },
	{ "interface Virtual-Template 1\n exit\n mtu 1500\n",
	  "line 3: unexpected indentation: the mode was left with 'exit' on line 2" },
	{ "interface Virtual-Template 1\n mtu 1500\n  ipv6 enable\n",
	  "line 3: unexpected indentation: the line above does not open a sub-mode "
	  "(interface mode is open here)" },
	/* end of file: templates, pools and the groups that use them */
	{ "hostname h\nvpdn-group LNS\n accept-dialin\n  virtual-template 3\n",
	  "line 2: vpdn-group LNS: virtual-template 3 is not defined (no 'interface "
	  "Virtual-Template 3' by the end of the file)" },
	{ "interface Virtual-Template 1\nvpdn-group A\n accept-dialin\n  virtual-template 1\n"
	  "no interface Virtual-Template 1\n", "line 2: vpdn-group A: virtual-template 1 is "
	  "not defined" },
	{ "hostname h\ninterface Virtual-Template 4\n ip address 10.9.0.1 255.255.255.255\n"
	  " peer default ip address pool NOPE\n", "line 2: interface Virtual-Template 4: 'peer "
	  "default ip address pool NOPE' names no pool (no 'ip local pool NOPE' by the end of "
	  "the file)" },
	{ "ip local pool P 10.0.0.1 10.0.0.9\n!\ninterface Virtual-Template1\n"
	  " peer default ip address pool P\n", "line 3: interface Virtual-Template 1: a pool "
	  "needs 'ip address A.B.C.D 255.255.255.255', our IPCP address (none by the end" },
	{ "interface Virtual-Template 5\n!\ninterface Virtual-Template 6\n"
	  "interface Virtual-Template 5\n peer default ip address pool P\n"
	  " ip address 10.0.0.9 255.255.255.255\nip local pool P 10.0.0.1 10.0.0.9\n",
	  "line 1: interface Virtual-Template 5: our ip address is inside pool P" },
	{ "ip local pool P 10.0.0.1 10.0.0.9\ninterface Virtual-Template 5\n"
	  " ip address 10.0.0.10 255.255.255.255\n peer default ip address pool P\n"
	  "no ip local pool P\n", "line 2: interface Virtual-Template 5: 'peer default ip "
	  "address pool P' names no pool" },
};

static void test_bad_files(void **state)
{
	cli_expect_refused(bad_cases, sizeof bad_cases / sizeof bad_cases[0]);
}

/* A refused file changes nothing. */
static void test_all_or_nothing(void **state)
{
	struct l2tpd_config cfg;
	char err[256];
	char *before, *after;

	assert_int_equal(cli_load(&cfg, cli_full_config, err, sizeof err), 0);
	before = cli_running(&cfg);
	assert_int_equal(config_load_string(&cfg, "hostname changed\nvpdn-group NEW\n"
					    " l2tp tunnel hello 5\nno vpdn-group LNS\n"
					    "vpdn-group LAC\n l2tp tunnel hello 7\n bogus\n",
					    err, sizeof err), -EINVAL);
	assert_string_equal(err, "line 7: unknown command 'bogus'");
	after = cli_running(&cfg);
	assert_string_equal(before, after);
	free(before);
	free(after);
	config_free(&cfg);
}

static void test_syntax_variants(void **state)
{
	struct l2tpd_config cfg;
	char err[256];

	/* CRLF, trailing blanks, indented comments, keywords in capitals, exit */
	assert_int_equal(cli_load(&cfg, "HOSTNAME Lns\r\nvpdn-group A \r\n  ! comment\r\n"
				  " Accept-Dialin\r\n # comment\r\n  PROTOCOL L2TP\r\n exit\r\n"
				  "vpdn enable", err, sizeof err), 0);
	assert_string_equal(cfg.hostname, "Lns");	/* values keep their case */
	assert_int_equal(config_group_find(&cfg, "A")->dialin, VPDN_ACCEPT_DIALIN);
	assert_int_equal(config_group_find(&cfg, "A")->protocol_l2tp, 1);
	assert_int_equal(cfg.vpdn_enabled, 1);
	config_free(&cfg);
	/* an empty file and a file of comments are fine */
	assert_int_equal(cli_load(&cfg, "", err, sizeof err), 0);
	config_free(&cfg);
	assert_int_equal(cli_load(&cfg, "!\n#\n   \n\t\n", err, sizeof err), 0);
	config_free(&cfg);
}

/* `vpdn search-order domain` and `ip tcp adjust-mss`: read, printed,
 * read back the same; `no` takes them away. */
static void test_search_order_mss(void **state)
{
	struct l2tpd_config a, b;
	char err[256], *p;

	(void)state;
	assert_int_equal(cli_load(&a, "vpdn search-order domain\ninterface Virtual-Template1\n"
				  " ip tcp adjust-mss 1412\n", err, sizeof err), 0);
	assert_int_equal(a.search_order_domain, 1);
	assert_int_equal(config_vtemplate_find(&a, 1)->adjust_mss, 1412);
	p = cli_running(&a);
	assert_non_null(strstr(p, "vpdn search-order domain\n"));
	assert_non_null(strstr(p, " ip tcp adjust-mss 1412\n"));
	assert_int_equal(cli_load(&b, p, err, sizeof err), 0);
	cli_assert_config_equal(&a, &b);
	free(p);
	config_free(&b);
	assert_int_equal(cli_load(&b, "vpdn search-order domain\nno vpdn search-order\n"
				  "interface Virtual-Template1\n ip tcp adjust-mss 1412\n"
				  " no ip tcp adjust-mss\n", err, sizeof err), 0);
	assert_int_equal(b.search_order_domain, 0);
	assert_int_equal(config_vtemplate_find(&b, 1)->adjust_mss, 0);
	p = cli_running(&b);
	assert_null(strstr(p, "search-order"));
	assert_null(strstr(p, "adjust-mss"));
	free(p);
	config_free(&a);
	config_free(&b);
}

/* The shipped example loads and round-trips. */
static void test_example_file(void **state)
{
	struct l2tpd_config a, b;
	char path[1024], err[256];
	char *p1, *p2;

	snprintf(path, sizeof path, "%s/doc/l2tpd.conf.example", TOP_SRCDIR);
	config_init(&a);
	if (config_load_file(&a, path, err, sizeof err))
		fail_msg("%s: %s", path, err);
	assert_non_null(config_group_find(&a, "LNS"));
	assert_non_null(config_group_find(&a, "TO-LNS"));
	/* the LNS profile: a user, a pool, a template the group uses */
	assert_non_null(config_user_find(&a, "alice"));
	assert_int_equal(config_group_find(&a, "LNS")->virtual_template, 1);
	assert_non_null(config_vtemplate_find(&a, 1));
	assert_non_null(config_pool_find(&a, config_vtemplate_find(&a, 1)->pool));
	assert_int_equal(config_vtemplate_find(&a, 1)->n_auth, 3);
	p1 = cli_running(&a);
	assert_int_equal(cli_load(&b, p1, err, sizeof err), 0);
	p2 = cli_running(&b);
	assert_string_equal(p1, p2);
	cli_assert_config_equal(&a, &b);
	free(p1);
	free(p2);
	config_free(&b);

	/*
	 * Its commented-out examples, uncommented: a block starts with a command
	 * right after the '!' ("!redundancy") and ends at a lone "!"; each of its
	 * lines loses its first character.
	 */
	FILE *f = fopen(path, "r");
	char line[512], text[4096] = "";
	int in_block = 0;

	assert_non_null(f);
	while (fgets(line, sizeof line, f)) {
		if (line[0] == '!' && line[1] >= 'a' && line[1] <= 'z')
			in_block = 1;
		else if (strcmp(line, "!\n") == 0)
			in_block = 0;
		if (in_block)
			strncat(text, line + 1, sizeof text - strlen(text) - 1);
	}
	fclose(f);
	assert_non_null(strstr(text, "redundancy\n mode sso\n"));
	if (config_load_string(&a, text, err, sizeof err))
		fail_msg("%s (redundancy example): %s", path, err);
	assert_int_equal(a.red.configured, 1);
	assert_int_equal(a.red.curve, 1);
	assert_int_equal(a.red.vip.s_addr, cli_ip4("192.0.2.10"));
	assert_int_equal(config_group_find(&a, "LNS")->resync, 20);
	config_free(&a);
}

static void test_load_file(void **state)
{
	struct l2tpd_config cfg;
	char path[] = "/tmp/test_config_XXXXXX", err[256];
	static const char nul[] = "hostname a\nhostname b\0c\n";
	int fd;

	config_init(&cfg);
	assert_int_equal(config_load_file(&cfg, "/nonexistent/l2tpd.conf", err, sizeof err),
			 -ENOENT);
	assert_non_null(strstr(err, "No such file"));
	assert_int_equal(config_load_file(&cfg, "/tmp", err, sizeof err), -EINVAL);

	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, nul, sizeof nul - 1), (ssize_t)(sizeof nul - 1));
	close(fd);
	assert_int_equal(config_load_file(&cfg, path, err, sizeof err), -EINVAL);
	assert_string_equal(err, "line 2: NUL byte in the file");

	fd = open(path, O_WRONLY | O_TRUNC);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "hostname file\n", 14), 14);
	close(fd);
	assert_int_equal(config_load_file(&cfg, path, err, sizeof err), 0);
	assert_string_equal(cfg.hostname, "file");
	unlink(path);
	config_free(&cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_all_or_nothing),
		cmocka_unit_test(test_syntax_variants),
		cmocka_unit_test(test_search_order_mss),
		cmocka_unit_test(test_example_file),
		cmocka_unit_test(test_load_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
