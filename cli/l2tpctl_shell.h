/*
 * The interactive shell of l2tpctl (l2tpctl_shell.c) and the words of its
 * `?` and Tab (l2tpctl_words.c), read from the daemon's command table.
 */
#ifndef L2TPCTL_SHELL_H
#define L2TPCTL_SHELL_H

#include <stddef.h>

#define L2TPCTL_CANDS_MAX	128

/* The commands of one mode, a line each: "tok tok ...\thelp". */
struct l2tpctl_words {
	char *text;			/* the daemon's answer, split in place */
	char **line;
	size_t n;
};

/* What may come next: a keyword to complete, or an argument to show. */
struct l2tpctl_cands {
	size_t n;
	struct {
		char word[64];
		const char *help;	/* in the words' text */
		int arg;		/* WORD, <1-10>, <cr>: shown, never completed */
	} c[L2TPCTL_CANDS_MAX];
};

/* Take over text (malloc'd) and split it; -1 if out of memory. */
int l2tpctl_words_load(struct l2tpctl_words *w, char *text);
void l2tpctl_words_free(struct l2tpctl_words *w);
/* The candidates for partial after the whole words typed[0..ntyped). */
void l2tpctl_words_cands(const struct l2tpctl_words *w, char *const *typed, int ntyped,
			 const char *partial, struct l2tpctl_cands *c);

/* `l2tpctl` with no command on a terminal: the shell; the exit status. */
int l2tpctl_shell(const char *path, long timeout);

#endif
