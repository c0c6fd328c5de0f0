// SPDX-License-Identifier: MIT
/*
 * Switching probe events on and off. An event records while it is
 * enabled (its enable file, or its group's, or events/enable); its probe
 * points are armed while it is enabled or held in soft mode by triggers
 * and function commands (soft_refs), which switch its recording without
 * re-arming. Every function here runs with the tracefs tree lock held,
 * which every writer of the event list holds too.
 */
#include <trace/probe_events.h>
#include <lib/errno.h>
#include <lib/string.h>

/* Take or drop @delta soft references and re-arm to match; a failed
 * take is undone, so the count stays true. Tree lock held. */
int probe_event_hold(struct probe_event *lead, int delta)
{
	int err;

	lead->soft_refs += delta;
	err = probe_event_sync(lead);
	if (err && delta > 0) {
		lead->soft_refs -= delta;
		probe_event_sync(lead);
	}
	return err;
}

/* Arm or disarm one probe point: 0 or the kind's error; ev->armed
 * follows what really happened. */
static int arm_point(struct probe_event *ev, bool on)
{
	int err;

	if (ev->armed == on)
		return 0;
	err = ev->ops->enable(ev, on);
	if (!err)
		ev->armed = on;
	return err;
}

/* Every point of the event is tried even after one fails, so a failure
 * does not leave the others half-way. Tree lock held. */
int probe_event_sync(struct probe_event *lead)
{
	bool want = lead->enabled || lead->soft_refs > 0;
	struct probe_event *p;
	int err = 0, e;

	for (p = probe_event_next_point(lead, NULL); p; p = probe_event_next_point(lead, p)) {
		e = arm_point(p, want);
		if (e && !err)
			err = e;
	}
	return err;
}

/*
 * The event's enable file: switch @ev (a leader) and arm its points to
 * match. An enable that cannot arm every point is rolled back, so an
 * event is never half on. Returns 0 or the arming error. Tree lock held.
 */
int probe_event_enable(struct probe_event *ev, bool on)
{
	int err;

	if (ev->enabled == on)
		return 0;
	WRITE_ONCE(ev->enabled, on);
	err = probe_event_sync(ev);
	if (err && on) {		/* a point would not arm: as it was */
		WRITE_ONCE(ev->enabled, false);
		probe_event_sync(ev);
	}
	return err;
}

/* events/GROUP/enable (@group NULL: events/enable): every event is
 * tried; -EIO if some would not switch. Tree lock held. */
int probe_events_enable_group(const char *group, bool on)
{
	struct probe_event *ev;
	int err = 0;

	for (ev = probe_event_next_lead(NULL, group); ev; ev = probe_event_next_lead(ev, group))
		if (probe_event_enable(ev, on) && !err)
			err = -EIO;
	return err;
}

/* What events/GROUP/enable reads. Tree lock held. */
char probe_events_group_state(const char *group)
{
	struct probe_event *ev;
	bool some_on = false, some_off = false;

	for (ev = probe_event_next_lead(NULL, group); ev; ev = probe_event_next_lead(ev, group)) {
		some_on |= probe_event_records(ev);
		some_off |= !probe_event_records(ev);
	}
	return some_on && some_off ? 'X' : some_on ? '1' : '0';
}
