// SPDX-License-Identifier: MIT
/*
 * `livepatch demo on|off`: swap a live kernel function and put it back.
 *
 * The patched function is uptime_format(), the text the `uptime` command
 * prints. The replacement calls the original through the hook's orig
 * pointer (past the fentry site, so it is not hooked again) and adds what
 * a patch might: the uptime in minutes. `livepatch demo off` unhooks and
 * waits until no call is still inside the replacement.
 */
#include <trace/fhook.h>
#include <kernel/console.h>
#include <kernel/printk.h>
#include <kernel/shell.h>
#include <kernel/time.h>
#include <lib/errno.h>
#include <lib/printf.h>
#include <lib/string.h>

static int patched_uptime_format(char *buf, size_t size);

static struct fhook demo_hooks[] = {
	{ .name = "uptime_format", .replacement = patched_uptime_format },
};
static bool demo_on;

/* The replacement: the original's text plus the uptime in minutes. The
 * enter/exit pair lets fhook_remove() wait for calls in progress. */
static int patched_uptime_format(char *buf, size_t size)
{
	int (*orig)(char *, size_t) = demo_hooks[0].orig;
	u64 s = clock_ns() / NSEC_PER_SEC;
	int n;

	fhook_enter();
	n = orig(buf, size);
	n += scnprintf(buf + n, size - n, " (livepatched: %llu min %llu s)",
		       (unsigned long long)(s / 60), (unsigned long long)(s % 60));
	fhook_exit();
	return n;
}

/* Switch the demo on or off; doing what is already done is a no-op.
 * Returns 0 or fhook_install()'s error (the demo stays off). May sleep. */
int livepatch_demo_set(bool on)
{
	int err = 0;

	if (on && !demo_on)
		err = fhook_install(demo_hooks, 1);
	else if (!on && demo_on)
		fhook_remove(demo_hooks, 1);
	if (!err)
		demo_on = on;
	return err;
}

/* livepatch demo on|off|status: anything else prints the usage. */
static int cmd_livepatch(int argc, char **argv)
{
	int err;

	if (argc != 3 || strcmp(argv[1], "demo") ||
	    (strcmp(argv[2], "on") && strcmp(argv[2], "off") && strcmp(argv[2], "status")))
		return -EINVAL;
	if (!strcmp(argv[2], "status")) {
		console_printf("livepatch demo: %s (uptime_format %s)\n", demo_on ? "on" : "off",
			       demo_on ? "replaced" : "original");
		return 0;
	}
	err = livepatch_demo_set(!strcmp(argv[2], "on"));
	if (err)
		return err;
	console_printf("livepatch demo %s: try `uptime`\n", demo_on ? "on" : "off");
	return 0;
}
SHELL_COMMAND(SHELL_TRACING, "livepatch", "demo on|off|status",
	      "swap a live kernel function (uptime's text) through ftrace, and back", cmd_livepatch);
