// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the event-filter language (trace/event_filter.h).
 *
 * Input: a filter, then (after the first newline) the bytes of a record.
 * The parser must refuse the filter with a caret inside it (or one past
 * its end, where Linux puts some), or compile it into a program that runs
 * against the record - any bytes, string locations included - without a
 * read outside it. AddressSanitizer watches every access.
 *
 *	make fuzz-filter	(FUZZ_TIME=600 seconds by default)
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <trace/event_filter.h>
#include <lib/compiler.h>

static const struct filter_field fields[] = {
	{ "common_type", FILTER_FIELD_NUM, 2, false, 0, 0 },
	{ "common_pid", FILTER_FIELD_NUM, 4, true, 4, 0 },
	{ "__probe_ip", FILTER_FIELD_NUM, 8, false, 8, 0 },
	{ "n", FILTER_FIELD_NUM, 4, true, 16, 0 },
	{ "c", FILTER_FIELD_NUM, 1, false, 20, 0 },
	{ "s", FILTER_FIELD_STRLOC, 4, true, 21, 16 },
	{ "a", FILTER_FIELD_OTHER, 8, false, 25, 0 },
	{ "comm", FILTER_FIELD_COMM, 0, false, 0, 0 },
	{ "cpu", FILTER_FIELD_CPU, 4, false, 0, 0 },
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct event_filter f;
	const uint8_t *nl = memchr(data, '\n', size);
	size_t tlen = nl ? (size_t)(nl - data) : size, rlen = nl ? size - tlen - 1 : 0;
	struct filter_ctx ctx = { .comm = "fuzzer", .cpu = 0 };
	struct filter_error err = { -1, NULL };
	char *text = malloc(tlen + 1);
	uint8_t *rec = malloc(rlen ? rlen : 1);

	memcpy(text, data, tlen);
	text[tlen] = '\0';
	if (rlen)
		memcpy(rec, nl + 1, rlen);
	if (event_filter_parse(text, fields, ARRAY_SIZE(fields), &f, &err)) {
		if (!err.reason || err.pos < 0 || (size_t)err.pos > strlen(text) + 1)
			abort();
	} else {
		(void)event_filter_match(&f, rec, rlen, &ctx);
	}
	free(rec);
	free(text);
	return 0;
}
