// SPDX-License-Identifier: MIT
/*
 * word_count(): a function that takes a string, for probe events that
 * dereference a pointer argument (p word_count text=+0(%di):string).
 * `run words N` calls it N times on a few fixed sentences.
 */
#include <kernel/workloads/workloads.h>
#include <lib/compiler.h>

noinline unsigned long word_count(const char *text)
{
	unsigned long n = 0;
	bool in_word = false;

	for (; *text; text++) {
		bool blank = *text == ' ';

		n += !blank && !in_word;
		in_word = !blank;
	}
	return n;
}

static const char *const sentences[] = {
	"the quick brown fox",
	"jumps over",
	"the lazy dog",
};

unsigned long words_run(unsigned long rounds)
{
	unsigned long i, total = 0;

	for (i = 0; i < rounds; i++)
		total += word_count(sentences[i % (ARRAY_SIZE(sentences))]);
	return total;
}
