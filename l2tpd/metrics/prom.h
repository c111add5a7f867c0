/*
 * The Prometheus text exposition format, version 0.0.4: a growing buffer,
 * one family at a time (`# HELP`, `# TYPE`, then its samples), label
 * values escaped (backslash, double quote, newline), histograms as
 * cumulative `_bucket{le=...}` samples with `_sum` and `_count`, in
 * seconds.  Knows nothing of L2TP.
 */
#ifndef L2TPD_METRICS_PROM_H
#define L2TPD_METRICS_PROM_H

#include <stddef.h>
#include <stdint.h>

struct hist;

#define PROM_LABELS_MAX	4

struct prom {
	char *buf;			/* NUL-terminated */
	size_t len, cap;
	int err;			/* -ENOMEM once an allocation failed */
	const char *family;		/* the family being written */
	/* Labels common to the samples that follow (prom_labels_push). */
	const char *lname[PROM_LABELS_MAX], *lval[PROM_LABELS_MAX];
	int nlabels;
};

void prom_init(struct prom *p);
void prom_free(struct prom *p);

/* A family: type is "counter", "gauge" or "histogram". */
void prom_family(struct prom *p, const char *name, const char *type, const char *help);
/* A sample of the current family, with the pushed labels and up to two
 * more (a NULL name ends the list). */
void prom_sample(struct prom *p, uint64_t v, const char *l1, const char *v1, const char *l2,
		 const char *v2);
void prom_sample_f(struct prom *p, double v, const char *l1, const char *v1);
/* The samples of a histogram of the current family (microseconds observed,
 * seconds exported), with the pushed labels. */
void prom_histogram(struct prom *p, const struct hist *h);
/* Labels for the samples that follow (until prom_labels_clear). */
void prom_labels_push(struct prom *p, const char *name, const char *value);
void prom_labels_clear(struct prom *p);

/* Family and sample at once, no labels. */
void prom_counter1(struct prom *p, const char *name, const char *help, uint64_t v);
void prom_gauge1(struct prom *p, const char *name, const char *help, uint64_t v);

#endif
