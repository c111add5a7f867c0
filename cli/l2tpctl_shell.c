/*
 * The interactive shell: `l2tpctl` with no command, on a terminal.
 *
 *	lns1# show vpdn
 *	lns1# configure terminal
 *	lns1(config)# vpdn-group 2
 *	lns1(config-vpdn)# end
 *	lns1#
 *
 * Lines are read with libedit (emacs keys, history).  In EXEC mode each
 * line is one command on a connection of its own, as `l2tpctl WORDS`;
 * `configure terminal` opens a configuration session (l2tpctl_session.c)
 * that carries the lines until the daemon ends it (`end`, `exit` from the
 * top) and whose prompt records give the prompt.  `?` lists what may come
 * next with its help and Tab completes a keyword: both from the commands
 * of the current mode as the daemon lists them (`help lines MODE`, read
 * again when the mode changes), so the shell cannot drift from the table.
 * `exit` (EXEC) and Ctrl-D leave; Ctrl-C drops the line being typed (as
 * in IOS), in any mode, and the shell goes on.
 */
#include <errno.h>
#include <histedit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "l2tpctl.h"
#include "l2tpctl_session.h"
#include "l2tpctl_shell.h"

#define SHELL_HISTORY	500
#define SHELL_MAXWORDS	32

struct shell {
	const char *path;
	long timeout;
	struct l2tpctl_sess sess;
	int in_config;
	char prompt[128];		/* "host#", "host(config-vpdn)#" */
	char exec_prompt[128];
	char words_mode[64];		/* the mode of words: "exec", "config", ... */
	struct l2tpctl_words words;
	EditLine *el;
	History *hist;
};

/* One command on a connection of its own; the answer (malloc'd) in *out. */
static int shell_ask(const struct shell *sh, const char *line, char **out)
{
	struct timespec deadline;
	size_t alen;
	int fd, r;

	l2tpctl_deadline(&deadline, sh->timeout);
	fd = l2tpctl_connect(sh->path);
	if (fd < 0)
		return -ECONNREFUSED;
	r = l2tpctl_send(fd, line, strlen(line), &deadline);
	if (r == 0)
		shutdown(fd, SHUT_WR);
	if (r == 0 || r == -EPIPE || r == -ECONNRESET)
		r = l2tpctl_recv(fd, out, &alen, &deadline);
	close(fd);
	return r;
}

/* The mode of a prompt: "config-vpdn" of "lns1(config-vpdn)#", else "exec". */
static void shell_prompt_mode(const char *prompt, char *mode, size_t size)
{
	const char *open = strchr(prompt, '('), *close = open ? strchr(open, ')') : NULL;

	if (open == NULL || close == NULL)
		snprintf(mode, size, "exec");
	else
		snprintf(mode, size, "%.*s", (int)(close - open - 1), open + 1);
}

/* The commands of the current mode, unless they are the ones held. */
static int shell_load_words(struct shell *sh)
{
	char mode[64], line[96], *answer = NULL, *rec;
	int r;

	shell_prompt_mode(sh->prompt, mode, sizeof mode);
	if (sh->words.text && strcmp(mode, sh->words_mode) == 0)
		return 0;
	snprintf(line, sizeof line, "help lines %s\n", mode);
	r = shell_ask(sh, line, &answer);
	if (r)
		return r;
	if (l2tpctl_is_error(answer, 0)) {
		fputs(answer, stderr);
		free(answer);
		return -EPROTO;
	}
	rec = strrchr(answer, L2TPCTL_PROMPT_RECORD);
	if (rec && strcmp(mode, "exec") == 0)
		snprintf(sh->exec_prompt, sizeof sh->exec_prompt, "%.*s",
			 (int)strcspn(rec + 1, "\n"), rec + 1);
	if (rec)
		*rec = '\0';
	l2tpctl_words_free(&sh->words);
	if (l2tpctl_words_load(&sh->words, answer) < 0) {
		l2tpctl_words_free(&sh->words);
		return -ENOMEM;
	}
	snprintf(sh->words_mode, sizeof sh->words_mode, "%s", mode);
	return 0;
}

/* Split the line up to the cursor: whole words, and the partial last one
 * ("" after a blank).  The words point into buf. */
static int shell_split(EditLine *el, char *buf, size_t size, char **words, const char **partial)
{
	const LineInfo *li = el_line(el);
	size_t len = (size_t)(li->cursor - li->buffer);
	int n = 0;

	if (len >= size)
		len = size - 1;
	memcpy(buf, li->buffer, len);
	buf[len] = '\0';
	for (char *save = NULL, *w = strtok_r(buf, " \t", &save); w;
	     w = strtok_r(NULL, " \t", &save))
		if (n < SHELL_MAXWORDS)
			words[n++] = w;
	*partial = "";
	if (n > 0 && len > 0 && buf[len - 1] != ' ' && buf[len - 1] != '\t' &&
	    words[n - 1] + strlen(words[n - 1]) == buf + len)
		*partial = words[--n];
	return n;
}

/* A word of the session itself (not in the table): `end`, `exit`. */
static void shell_cand_session(struct l2tpctl_cands *c, const char *word, const char *partial)
{
	if (c->n >= L2TPCTL_CANDS_MAX || strncasecmp(word, partial, strlen(partial)) != 0)
		return;
	snprintf(c->c[c->n].word, sizeof c->c[c->n].word, "%s", word);
	c->c[c->n].help = "leave configuration mode";
	c->c[c->n].arg = 0;
	c->n++;
}

static void shell_cands(EditLine *el, struct l2tpctl_cands *c, const char **partial)
{
	struct shell *sh;
	char buf[L2TPCTL_LINE_MAX], *words[SHELL_MAXWORDS];
	int n;

	el_get(el, EL_CLIENTDATA, &sh);
	n = shell_split(el, buf, sizeof buf, words, partial);
	c->n = 0;
	if (shell_load_words(sh) == 0)
		l2tpctl_words_cands(&sh->words, words, n, *partial, c);
	/* the session's own words, at the top of configuration mode */
	if (sh->in_config && n == 0) {
		shell_cand_session(c, "end", *partial);
		if (strcmp(sh->words_mode, "config") == 0)
			shell_cand_session(c, "exit", *partial);
	}
}

static void shell_print_cands(const struct l2tpctl_cands *c)
{
	fputc('\n', stdout);
	if (c->n == 0)
		fputs("% Unrecognized command\n", stdout);
	for (size_t i = 0; i < c->n; i++)
		printf("  %-22s %s\n", c->c[i].word, c->c[i].help);
	fflush(stdout);
}

/* `?`: what may come next, with its help; the line stays as it was. */
static unsigned char shell_help_fn(EditLine *el, int ch)
{
	struct l2tpctl_cands c;
	const char *partial;

	(void)ch;
	shell_cands(el, &c, &partial);
	shell_print_cands(&c);
	return CC_REDISPLAY;
}

/* Tab: one keyword fits, it is completed; several, their common start,
 * or the list when that adds nothing. */
static unsigned char shell_complete_fn(EditLine *el, int ch)
{
	struct l2tpctl_cands c;
	const char *partial, *first = NULL;
	size_t common = 0, plen, nkw = 0;
	char add[64];

	(void)ch;
	shell_cands(el, &c, &partial);
	plen = strlen(partial);
	for (size_t i = 0; i < c.n; i++) {
		if (c.c[i].arg)
			continue;
		if (first == NULL) {
			first = c.c[i].word;
			common = strlen(first);
		}
		while (common > 0 && strncasecmp(first, c.c[i].word, common) != 0)
			common--;
		nkw++;
	}
	if (nkw == 0 || (common <= plen && nkw > 1)) {
		shell_print_cands(&c);
		return c.n ? CC_REDISPLAY : CC_REFRESH_BEEP;
	}
	snprintf(add, sizeof add, "%.*s%s", (int)(common - plen), first + plen,
		 nkw == 1 && c.n == 1 ? " " : "");
	if (add[0] == '\0' || el_insertstr(el, add) < 0)
		return CC_REFRESH_BEEP;
	return CC_REFRESH;
}

/* Ctrl-C (IOS, and shells): the line typed so far is dropped and a new
 * prompt given; the shell goes on.  The terminal's INTR character reaches
 * the editor as a key (its signal is off while a line is read). */
static unsigned char shell_cancel_fn(EditLine *el, int ch)
{
	const LineInfo *li = el_line(el);

	(void)ch;
	el_cursor(el, (int)(li->lastchar - li->cursor));
	li = el_line(el);
	el_deletestr(el, (int)(li->cursor - li->buffer));
	fputs("^C\n", stdout);
	fflush(stdout);
	return CC_REDISPLAY;
}

static char *shell_prompt_fn(EditLine *el)
{
	struct shell *sh;

	el_get(el, EL_CLIENTDATA, &sh);
	return sh->prompt;
}

/* `configure terminal`, or an abbreviation of it (`conf t`): the line
 * opens a session of its own connection.  The daemon expands it. */
static int shell_is_configure(const char *line)
{
	char buf[L2TPCTL_LINE_MAX], *save = NULL, *w1, *w2;

	snprintf(buf, sizeof buf, "%s", line);
	w1 = strtok_r(buf, " \t", &save);
	w2 = w1 ? strtok_r(NULL, " \t", &save) : NULL;
	return w2 && strtok_r(NULL, " \t", &save) == NULL && strlen(w1) >= 4 &&
	       strncasecmp("configure", w1, strlen(w1)) == 0 &&
	       strncasecmp("terminal", w2, strlen(w2)) == 0;
}

static void shell_config_done(struct shell *sh)
{
	l2tpctl_sess_close(&sh->sess);
	sh->in_config = 0;
	snprintf(sh->prompt, sizeof sh->prompt, "%s", sh->exec_prompt);
}

/* A line of the configuration session (`configure terminal` the first). */
static void shell_config_line(struct shell *sh, const char *line)
{
	char *text = NULL;
	int r;

	if (!sh->in_config) {
		if (l2tpctl_sess_open(&sh->sess, sh->path, sh->timeout) < 0)
			return;
		sh->in_config = 1;	/* the daemon reads `conf t` as it is */
	}
	r = l2tpctl_sess_line(&sh->sess, line, &text);
	if (r == -ECONNRESET && sh->sess.len > 0) {
		/* answered and closed without a prompt record: a refusal
		 * (`configure terminal` is root's), say it as it came */
		fwrite(sh->sess.buf, 1, sh->sess.len, stderr);
		shell_config_done(sh);
		return;
	}
	if (r) {
		fprintf(stderr, "%% %s: %s\n", line,
			r == -ETIMEDOUT ? "no answer from l2tpd in time" : strerror(-r));
		shell_config_done(sh);
		return;
	}
	fputs(text, stdout);
	free(text);
	if (l2tpctl_sess_ended(&sh->sess)) {
		snprintf(sh->exec_prompt, sizeof sh->exec_prompt, "%s", sh->sess.prompt);
		shell_config_done(sh);
	} else {
		snprintf(sh->prompt, sizeof sh->prompt, "%s", sh->sess.prompt);
	}
}

/* One line typed; 1 when the shell is to end. */
static int shell_line(struct shell *sh, const char *line)
{
	char buf[L2TPCTL_LINE_MAX];
	size_t len = strlen(line);

	if (sh->in_config || shell_is_configure(line)) {
		shell_config_line(sh, line);
		return 0;
	}
	if (strcasecmp(line, "exit") == 0 || strcasecmp(line, "quit") == 0)
		return 1;
	if (strcasecmp(line, "end") == 0)
		return 0;
	if (len + 2 > sizeof buf) {
		fprintf(stderr, "%% command too long (at most %d bytes)\n", L2TPCTL_LINE_MAX - 1);
		return 0;
	}
	memcpy(buf, line, len);
	buf[len++] = '\n';
	l2tpctl_exchange(sh->path, buf, len, sh->timeout, 0, stdout);
	return 0;
}

static void shell_setup(struct shell *sh)
{
	HistEvent ev;

	sh->hist = history_init();
	history(sh->hist, &ev, H_SETSIZE, SHELL_HISTORY);
	history(sh->hist, &ev, H_SETUNIQUE, 1);
	sh->el = el_init("l2tpctl", stdin, stdout, stderr);
	el_set(sh->el, EL_CLIENTDATA, sh);
	el_set(sh->el, EL_EDITOR, "emacs");
	el_set(sh->el, EL_SIGNAL, 1);
	el_set(sh->el, EL_PROMPT, shell_prompt_fn);
	el_set(sh->el, EL_HIST, history, sh->hist);
	/* the wide calls: el_set() copies the names and never frees them */
	el_wset(sh->el, EL_ADDFN, L"l2tpctl-complete", L"complete the word", shell_complete_fn);
	el_wset(sh->el, EL_ADDFN, L"l2tpctl-help", L"what may come next", shell_help_fn);
	el_wset(sh->el, EL_ADDFN, L"l2tpctl-cancel", L"drop the line", shell_cancel_fn);
	/* ^C is a key while a line is read, not SIGINT: it drops the line */
	el_set(sh->el, EL_SETTY, "-d", "-isig", NULL);
	el_set(sh->el, EL_BIND, "^C", "l2tpctl-cancel", NULL);
	el_set(sh->el, EL_BIND, "^I", "l2tpctl-complete", NULL);
	el_set(sh->el, EL_BIND, "?", "l2tpctl-help", NULL);
}

int l2tpctl_shell(const char *path, long timeout)
{
	struct shell sh = { .path = path, .timeout = timeout, .sess = { .fd = -1 } };
	const char *in;
	int n, r;

	snprintf(sh.prompt, sizeof sh.prompt, "#");
	r = shell_load_words(&sh);
	if (r) {
		if (r != -ECONNREFUSED && r != -EPROTO)
			fprintf(stderr, "l2tpctl: %s: %s\n", path,
				r == -ETIMEDOUT ? "no answer from l2tpd in time" : strerror(-r));
		return EXIT_UNREACHABLE;
	}
	snprintf(sh.prompt, sizeof sh.prompt, "%s", sh.exec_prompt);
	shell_setup(&sh);
	while ((in = el_gets(sh.el, &n)) != NULL) {
		char line[L2TPCTL_LINE_MAX];
		size_t len;
		HistEvent ev;

		snprintf(line, sizeof line, "%s", in + strspn(in, " \t"));
		len = strcspn(line, "\r\n");
		while (len > 0 && (line[len - 1] == ' ' || line[len - 1] == '\t'))
			len--;
		line[len] = '\0';
		if (len == 0)
			continue;
		history(sh.hist, &ev, H_ENTER, line);
		if (shell_line(&sh, line))
			break;
	}
	if (in == NULL)
		fputc('\n', stdout);
	if (sh.in_config)
		shell_config_line(&sh, "end");
	el_end(sh.el);
	history_end(sh.hist);
	l2tpctl_words_free(&sh.words);
	return EXIT_OK;
}
