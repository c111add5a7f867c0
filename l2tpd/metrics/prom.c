/* The Prometheus text format writer (see prom.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/hist.h"
#include "metrics/prom.h"

void prom_init(struct prom *p)
{
	memset(p, 0, sizeof *p);
}

void prom_free(struct prom *p)
{
	free(p->buf);
	p->buf = NULL;
	p->len = p->cap = 0;
}

static int prom_reserve(struct prom *p, size_t more)
{
	char *nb;
	size_t cap;

	if (p->err)
		return -1;
	if (p->len + more + 1 <= p->cap)
		return 0;
	cap = p->cap ? p->cap : 4096;
	while (cap < p->len + more + 1)
		cap *= 2;
	nb = realloc(p->buf, cap);
	if (nb == NULL) {
		p->err = -ENOMEM;
		return -1;
	}
	p->buf = nb;
	p->cap = cap;
	return 0;
}

static void prom_put(struct prom *p, const char *s, size_t n)
{
	if (prom_reserve(p, n) < 0)
		return;
	memcpy(p->buf + p->len, s, n);
	p->len += n;
	p->buf[p->len] = '\0';
}

static void prom_puts(struct prom *p, const char *s)
{
	prom_put(p, s, strlen(s));
}

static void prom_printf(struct prom *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void prom_printf(struct prom *p, const char *fmt, ...)
{
	char tmp[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n > 0)
		prom_put(p, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

/* A label value: \\, \" and \n escaped (the format's only escapes). */
static void prom_label_value(struct prom *p, const char *v)
{
	for (; *v; v++) {
		if (*v == '\\')
			prom_puts(p, "\\\\");
		else if (*v == '"')
			prom_puts(p, "\\\"");
		else if (*v == '\n')
			prom_puts(p, "\\n");
		else
			prom_put(p, v, 1);
	}
}

void prom_family(struct prom *p, const char *name, const char *type, const char *help)
{
	p->family = name;
	/* HELP text: \\ and \n would need escaping; ours have neither. */
	prom_printf(p, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

void prom_labels_push(struct prom *p, const char *name, const char *value)
{
	if (p->nlabels < PROM_LABELS_MAX) {
		p->lname[p->nlabels] = name;
		p->lval[p->nlabels] = value;
		p->nlabels++;
	}
}

void prom_labels_clear(struct prom *p)
{
	p->nlabels = 0;
}

/* name{pushed..., l1="v1", l2="v2"} (no braces without labels) */
static void prom_series(struct prom *p, const char *suffix, const char *l1, const char *v1,
			const char *l2, const char *v2)
{
	const char *n[PROM_LABELS_MAX + 2], *v[PROM_LABELS_MAX + 2];
	int k = 0;

	for (int i = 0; i < p->nlabels; i++, k++) {
		n[k] = p->lname[i];
		v[k] = p->lval[i];
	}
	if (l1) {
		n[k] = l1;
		v[k++] = v1;
		if (l2) {
			n[k] = l2;
			v[k++] = v2;
		}
	}
	prom_puts(p, p->family ? p->family : "unnamed");
	prom_puts(p, suffix);
	for (int i = 0; i < k; i++) {
		prom_puts(p, i ? "," : "{");
		prom_puts(p, n[i]);
		prom_puts(p, "=\"");
		prom_label_value(p, v[i] ? v[i] : "");
		prom_puts(p, "\"");
	}
	if (k)
		prom_puts(p, "}");
}

void prom_sample(struct prom *p, uint64_t v, const char *l1, const char *v1, const char *l2,
		 const char *v2)
{
	prom_series(p, "", l1, v1, l2, v2);
	prom_printf(p, " %llu\n", (unsigned long long)v);
}

void prom_sample_f(struct prom *p, double v, const char *l1, const char *v1)
{
	prom_series(p, "", l1, v1, NULL, NULL);
	prom_printf(p, " %.6f\n", v);
}

void prom_histogram(struct prom *p, const struct hist *h)
{
	uint64_t cum = 0;
	char le[32];

	for (unsigned i = 0; i < HIST_BUCKETS; i++) {
		cum += h->bucket[i];
		snprintf(le, sizeof le, "%g", (double)hist_bound_us(i) / 1e6);
		prom_series(p, "_bucket", "le", le, NULL, NULL);
		prom_printf(p, " %llu\n", (unsigned long long)cum);
	}
	cum += h->bucket[HIST_BUCKETS];
	prom_series(p, "_bucket", "le", "+Inf", NULL, NULL);
	prom_printf(p, " %llu\n", (unsigned long long)cum);
	prom_series(p, "_sum", NULL, NULL, NULL, NULL);
	prom_printf(p, " %.6f\n", (double)h->sum_us / 1e6);
	prom_series(p, "_count", NULL, NULL, NULL, NULL);
	prom_printf(p, " %llu\n", (unsigned long long)h->count);
}

void prom_counter1(struct prom *p, const char *name, const char *help, uint64_t v)
{
	prom_family(p, name, "counter", help);
	prom_sample(p, v, NULL, NULL, NULL, NULL);
}

void prom_gauge1(struct prom *p, const char *name, const char *help, uint64_t v)
{
	prom_family(p, name, "gauge", help);
	prom_sample(p, v, NULL, NULL, NULL, NULL);
}
