/*
 * Attribute names for `debug radius` lines and `show radius` output, from
 * radcli's dictionary (/etc/radcli/dictionary, its Microsoft dictionary and
 * a Cisco one), with a built-in table of the attributes l2tpd itself uses
 * for when no dictionary can be read.  Only names: packets are never
 * encoded or decoded through the dictionary.
 */
#ifndef L2TP_RADIUS_DICT_H
#define L2TP_RADIUS_DICT_H

#include <stddef.h>
#include <stdint.h>

struct radius_attr;
struct radius_msg;
struct radius_dict;

/*
 * Read the dictionaries (the files that exist of a fixed list).  Returns
 * NULL when none could be read: the built-in names serve then.  `note`
 * says which files were read, or why none was.
 */
struct radius_dict *radius_dict_load(char *note, size_t notesz);
void radius_dict_free(struct radius_dict *dict);

/* The attribute's name ("User-Name", "Cisco-AVPair", "Attr-250", "Vendor-1234-Attr-5"). */
const char *radius_dict_name(const struct radius_dict *dict, uint32_t vendor, uint8_t type,
			     char *buf, size_t size);
/*
 * `Name=value` for a log line: strings quoted with unprintable octets
 * escaped, integers with their VALUE name, addresses dotted; secrets
 * (passwords, authenticators, MS-CHAP material) as their length only.
 */
void radius_dict_format(const struct radius_dict *dict, const struct radius_attr *a, char *buf,
			size_t size);
/* Every attribute of m, separated by blanks, truncated to size. */
void radius_dict_format_msg(const struct radius_dict *dict, const struct radius_msg *m,
			    char *buf, size_t size);
/* Is this an attribute the daemon knows (built-in table, or vendors 9 and 311)? */
int radius_dict_known(uint32_t vendor, uint8_t type);

#endif
