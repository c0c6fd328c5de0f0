// SPDX-License-Identifier: MIT
/*
 * The console's line syntax (see shell_words.h) in two steps: tokens
 * (words and operators), then the pipeline they describe. Neither step
 * runs anything, so a bad line is refused before any command has had a
 * chance to change something.
 */
#include <lib/shell_words.h>
#include <lib/errno.h>
#include <lib/string.h>

enum tok_kind { TOK_WORD, TOK_PIPE, TOK_REDIRECT, TOK_APPEND, TOK_BACKGROUND };

struct token {
	enum tok_kind kind;
	char *word;		/* TOK_WORD */
};

struct lexer {
	const char *in;
	char *out, *end;	/* where words are stored */
	const char *err;
};

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool is_operator(char c)
{
	return c == '|' || c == '>' || c == '&';
}

/* One word at lx->in (quotes removed), stored NUL-terminated. */
static char *lex_word(struct lexer *lx)
{
	char *word = lx->out;
	char quote = 0;

	while (*lx->in && (quote || (!is_blank(*lx->in) && !is_operator(*lx->in)))) {
		char c = *lx->in++;

		if (!quote && (c == '"' || c == '\''))
			quote = c;
		else if (quote && c == quote)
			quote = 0;
		else if (lx->out < lx->end)
			*lx->out++ = c;
	}
	if (quote) {
		lx->err = "unterminated quote";
		return NULL;
	}
	if (lx->out >= lx->end) {
		lx->err = "line too long";
		return NULL;
	}
	*lx->out++ = '\0';
	return word;
}

/* The next token; returns false at the end of the line or on an error. */
static bool lex_token(struct lexer *lx, struct token *t)
{
	while (is_blank(*lx->in))
		lx->in++;
	switch (*lx->in) {
	case '\0':
		return false;
	case '|':
		lx->in++;
		t->kind = TOK_PIPE;
		return true;
	case '&':
		lx->in++;
		t->kind = TOK_BACKGROUND;
		return true;
	case '>':
		lx->in++;
		t->kind = TOK_REDIRECT;
		if (*lx->in == '>') {
			lx->in++;
			t->kind = TOK_APPEND;
		}
		return true;
	}
	t->kind = TOK_WORD;
	t->word = lex_word(lx);
	return t->word != NULL;
}

/* Start a new stage at the next free argv slot. */
static void stage_begin(struct shell_line *out, int *slot)
{
	struct shell_stage *st = &out->stages[out->nstages++];

	st->argc = 0;
	st->argv = &out->argv[*slot];
}

static const char *const tok_text[] = {
	[TOK_PIPE] = "syntax error near unexpected token `|'",
	[TOK_REDIRECT] = "syntax error near unexpected token `>'",
	[TOK_APPEND] = "syntax error near unexpected token `>>'",
	[TOK_BACKGROUND] = "syntax error near unexpected token `&'",
};

/*
 * Close the current stage at the operator @kind (TOK_WORD: the end of
 * the line): it must have a command.
 */
static bool stage_end(struct shell_line *out, int *slot, enum tok_kind kind, const char **err)
{
	struct shell_stage *st = &out->stages[out->nstages - 1];

	if (!st->argc) {
		*err = kind == TOK_WORD ? "syntax error: a | needs a command after it" :
		       tok_text[kind];
		return false;
	}
	out->argv[(*slot)++] = NULL;
	return true;
}

/* What may follow a > FILE: nothing but a final &. */
static bool after_redirect(struct lexer *lx, struct shell_line *out, const char **err)
{
	struct token t;

	if (!lex_token(lx, &t) || t.kind != TOK_WORD) {
		*err = lx->err ? lx->err : "syntax error: a redirection needs a file name";
		return false;
	}
	out->out_file = t.word;
	if (!lex_token(lx, &t)) {
		*err = lx->err;
		return !lx->err;
	}
	if (t.kind == TOK_BACKGROUND) {
		out->background = true;
		if (!lex_token(lx, &t) && !lx->err)
			return true;
	}
	*err = lx->err ? lx->err : out->background ? "syntax error: & must end the line" :
		"syntax error: > FILE must end the command line (only one, after the last command)";
	return false;
}

static bool add_word(struct shell_line *out, int *slot, char *word, const char **err)
{
	/* Keep a slot for each stage's closing NULL. */
	if (*slot + (SHELL_MAX_STAGES - out->nstages) + 1 >= SHELL_MAX_WORDS + SHELL_MAX_STAGES) {
		*err = "too many words";
		return false;
	}
	out->argv[(*slot)++] = word;
	out->stages[out->nstages - 1].argc++;
	return true;
}

static bool parse_tokens(struct lexer *lx, struct shell_line *out, const char **err)
{
	struct token t;
	int slot = 0;

	stage_begin(out, &slot);
	while (lex_token(lx, &t)) {
		if (t.kind == TOK_WORD) {
			if (!add_word(out, &slot, t.word, err))
				return false;
			continue;
		}
		if (!stage_end(out, &slot, t.kind, err))
			return false;
		if (t.kind == TOK_REDIRECT || t.kind == TOK_APPEND) {
			out->append = t.kind == TOK_APPEND;
			return after_redirect(lx, out, err);
		}
		if (t.kind == TOK_BACKGROUND) {
			out->background = true;
			if (lex_token(lx, &t) || lx->err) {
				*err = lx->err ? lx->err : "syntax error: & must end the line";
				return false;
			}
			return true;
		}
		if (out->nstages == SHELL_MAX_STAGES) {
			*err = "too many commands in one pipeline";
			return false;
		}
		stage_begin(out, &slot);
	}
	if (lx->err) {
		*err = lx->err;
		return false;
	}
	/* A blank line is no stage at all; a line ending in | is an error. */
	if (out->nstages == 1 && !out->stages[0].argc) {
		out->nstages = 0;
		return true;
	}
	return stage_end(out, &slot, TOK_WORD, err);
}

int shell_parse_line(const char *line, struct shell_line *out, const char **err)
{
	struct lexer lx = { .in = line, .out = out->text, .end = out->text + sizeof(out->text) };

	out->nstages = 0;
	out->out_file = NULL;
	out->append = false;
	out->background = false;
	*err = NULL;
	if (parse_tokens(&lx, out, err))
		return 0;
	if (!*err)
		*err = "syntax error";
	return -EINVAL;
}
