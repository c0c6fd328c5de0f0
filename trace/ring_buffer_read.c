// SPDX-License-Identifier: MIT
/*
 * The trace ring buffer's readers: the consuming reader behind trace_pipe
 * (one CPU, or all CPUs merged by timestamp) and the non-consuming
 * iterator behind `cat trace`.
 *
 * Readers copy each event out before handing it on, because a writer on
 * the event's CPU may overwrite it at any moment. How a reader knows its
 * copy is whole is explained in ring_buffer.c: a consumer's cmpxchg on
 * head succeeds only if nobody reused the bytes, and the iterator checks
 * rb_intact() after each read. Readers never block a writer.
 */
#include <trace/ring_buffer_internal.h>
#include <trace/trace_clock.h>
#include <kernel/mm/kmalloc.h>
#include <kernel/preempt.h>
#include <lib/atomic.h>
#include <lib/errno.h>
#include <lib/string.h>

/*
 * How many times a reader starts over because writers overwrote what it
 * was reading before it gives up with -EAGAIN. Only a writer filling the
 * whole buffer during one copy forces a retry, so this is never reached
 * unless the buffer is tiny and the writer relentless.
 */
#define RB_READ_RETRIES	1000

/* ------------------------------------------------------------ helpers */

/*
 * rb_reader_enter - announce a short read, so that reset/resize wait for
 * it; refused while one is running. Preemption stays off until
 * rb_reader_exit(), so the read is short and a resetter on this CPU
 * cannot be waiting for it. Returns 0 or -EAGAIN.
 */
static int rb_reader_enter(struct ring_buffer *rb)
{
	/*
	 * A plain look first, as writers do. A reader that retries in a loop
	 * while a reset runs must not keep raising the counter the resetter
	 * waits to see at zero: it could keep it from ever reading zero.
	 */
	if (READ_ONCE(rb->quiesce))
		return -EAGAIN;
	preempt_disable();
	atomic_inc_return(&rb->readers);	/* seq_cst: the handshake */
	if (rb_load_sc(&rb->quiesce)) {
		atomic_dec_return(&rb->readers);
		preempt_enable_no_resched();
		return -EAGAIN;
	}
	return 0;
}

static void rb_reader_exit(struct ring_buffer *rb)
{
	/* Ordered (seq_cst) after our reads of the pages a resize frees. */
	atomic_dec_return(&rb->readers);
	preempt_enable_no_resched();
}

/*
 * rb_check_header - read the header at @pos and decide what it means
 *
 * Returns 0 if the header is valid and was not being overwritten;
 * -EAGAIN if a writer reused the bytes (the caller should look at head
 * again); -EIO if the bytes were not reused and still make no sense (a
 * broken invariant: it would be unsafe to go on).
 */
static int rb_check_header(const struct rb_cpu *cb, u64 pos, struct rb_header *h)
{
	bool ok = rb_read_header(cb, pos, h);

	if (!rb_intact(cb, pos))
		return -EAGAIN;
	return ok ? 0 : -EIO;
}

/* Copy the data event @h at @pos into @rec. The caller validates after. */
static void rb_copy(const struct rb_cpu *cb, u64 pos, const struct rb_header *h,
		    unsigned int cpu, struct ring_buffer_record *rec)
{
	const struct rb_event *ev = rb_event_at(cb, pos);

	memcpy(rec->data, ev->data, h->len);
	rec->ts = trace_clock_shown(h->ts);	/* events keep the raw clock */
	rec->len = h->len;
	rec->cpu = cpu;
}

static u64 rb_load_pos(const u64 *p)
{
	return smp_load_acquire(p);
}

/* ------------------------------------------------------------ consuming */

/*
 * rb_peek_cpu - timestamp of the oldest data event on @cb, without
 * taking it. Padding at head is stepped over, not removed.
 * Returns 0 with *@ts set, -ENODATA, -EAGAIN or -EIO.
 */
static int rb_peek_cpu(const struct rb_cpu *cb, u64 *ts)
{
	struct rb_header h;
	int tries = 0, err;
	u64 pos, commit;

	pos = rb_load_pos(&cb->head);
	for (;;) {
		commit = rb_load_pos(&cb->commit);
		if (pos >= commit)
			return -ENODATA;
		err = rb_check_header(cb, pos, &h);
		if (!err && h.type == RB_TYPE_DATA) {
			*ts = h.ts;
			return 0;
		}
		if (!err) {
			pos += h.size;
			continue;
		}
		if (err != -EAGAIN || ++tries > RB_READ_RETRIES)
			return err;
		pos = rb_load_pos(&cb->head);	/* overwritten: start again */
	}
}

/*
 * rb_consume_cpu - take the oldest data event off @cpu's buffer into
 * @rec, removing any padding before it. Reader gate held.
 * Returns 0, -ENODATA, -EAGAIN or -EIO.
 */
static int rb_consume_cpu(struct ring_buffer *rb, unsigned int cpu,
			  struct ring_buffer_record *rec)
{
	struct rb_cpu *cb = &rb->cpus[cpu];
	struct rb_header h;
	int tries = 0, err;
	u64 head;

	for (;;) {
		head = rb_load_pos(&cb->head);
		if (head >= rb_load_pos(&cb->commit))
			return -ENODATA;
		if (rb_read_header(cb, head, &h)) {
			if (h.type == RB_TYPE_DATA)
				rb_copy(cb, head, &h, cpu, rec);
			/*
			 * If head still points here, nobody reused the bytes
			 * while we copied them (writers move head first).
			 */
			if (cmpxchg(&cb->head, head, head + h.size) == head) {
				if (h.type != RB_TYPE_DATA)
					continue;
				atomic_long_inc(&cb->read);
				return 0;
			}
			err = -EAGAIN;
		} else {
			err = rb_intact(cb, head) ? -EIO : -EAGAIN;
		}
		if (err != -EAGAIN || ++tries > RB_READ_RETRIES)
			return err;
	}
}

/* Take @cpu's oldest event out of the buffer into @rec (a per-CPU
 * trace_pipe). Returns 0, -ENODATA (empty), -EINVAL, -EAGAIN (a reset
 * or resize holds the buffer) or -EIO. Any context; never sleeps. */
int ring_buffer_consume(struct ring_buffer *rb, unsigned int cpu,
			struct ring_buffer_record *rec)
{
	int err;

	if (cpu >= rb->nr_cpus)
		return -EINVAL;
	err = rb_reader_enter(rb);
	if (err)
		return err;
	err = rb_consume_cpu(rb, cpu, rec);
	rb_reader_exit(rb);
	return err;
}

/*
 * rb_oldest_cpu - the CPU whose oldest event is oldest overall (lowest
 * CPU on a tie). Returns the CPU, or -ENODATA if all are empty, or the
 * first hard error met.
 */
static int rb_oldest_cpu(struct ring_buffer *rb)
{
	int best = -ENODATA, err;
	u64 ts, best_ts = 0;
	unsigned int cpu;

	for (cpu = 0; cpu < rb->nr_cpus; cpu++) {
		err = rb_peek_cpu(&rb->cpus[cpu], &ts);
		if (err == -ENODATA)
			continue;
		if (err)
			return err;
		if (best < 0 || ts < best_ts) {
			best = (int)cpu;
			best_ts = ts;
		}
	}
	return best;
}

/* Take the oldest event of all CPUs (trace_pipe): merges the per-CPU
 * rings by timestamp, one event at a time. Same returns as above. */
int ring_buffer_consume_next(struct ring_buffer *rb, struct ring_buffer_record *rec)
{
	int err, cpu;

	err = rb_reader_enter(rb);
	if (err)
		return err;
	for (;;) {
		cpu = rb_oldest_cpu(rb);
		if (cpu < 0) {
			err = cpu;
			break;
		}
		err = rb_consume_cpu(rb, (unsigned int)cpu, rec);
		/* -ENODATA: another reader emptied that CPU since; look again. */
		if (err != -ENODATA)
			break;
	}
	rb_reader_exit(rb);
	return err;
}

/* The timestamp, in ns, of @cpu's oldest event, without taking it. */
int ring_buffer_oldest_ts(struct ring_buffer *rb, unsigned int cpu, u64 *ts)
{
	int err;

	if (cpu >= rb->nr_cpus)
		return -EINVAL;
	err = rb_reader_enter(rb);
	if (err)
		return err;
	err = rb_peek_cpu(&rb->cpus[cpu], ts);
	rb_reader_exit(rb);
	if (!err)
		*ts = trace_clock_shown(*ts);
	return err;
}

/* Is there no committed event on any CPU? A lock-free glance: a writer
 * may add one right after. */
bool ring_buffer_empty(struct ring_buffer *rb)
{
	unsigned int cpu;

	for (cpu = 0; cpu < rb->nr_cpus; cpu++) {
		const struct rb_cpu *cb = &rb->cpus[cpu];

		if (rb_load_pos(&cb->head) < rb_load_pos(&cb->commit))
			return false;
	}
	return true;
}

/* ------------------------------------------------------------ iterator */

struct rb_iter_cpu {
	u64 pos;		/* next position to look at */
	u64 end;		/* commit when the walk started */
	u64 peeked_pos;		/* where ring_buffer_iter_peek_cpu() found ... */
	u32 peeked_size;	/* ... the event it copied, of this size */
};

/* A walk of CPUs first .. last - 1: all of them, or one (per_cpu/). */
struct ring_buffer_iter {
	struct ring_buffer *rb;
	unsigned int first, last;
	struct rb_iter_cpu cpu[];	/* [nr_cpus]; only the walked ones used */
};

/* An iterator over CPUs [@first, @last) from their heads to their
 * commits as they are now: events written later are not part of the
 * walk. ERR_PTR(-ENOMEM), or -EAGAIN while a reset or resize runs. */
static struct ring_buffer_iter *rb_iter_start(struct ring_buffer *rb, unsigned int first,
					      unsigned int last)
{
	struct ring_buffer_iter *iter;
	unsigned int cpu;

	iter = kzalloc(sizeof(*iter) + rb->nr_cpus * sizeof(iter->cpu[0]));
	if (!iter)
		return ERR_PTR(-ENOMEM);
	iter->rb = rb;
	iter->first = first;
	iter->last = last;
	/* While iters > 0, reset and resize refuse: pages stay put. */
	atomic_inc_return(&rb->iters);
	if (rb_load_sc(&rb->quiesce)) {
		atomic_dec_return(&rb->iters);
		kfree(iter);
		return ERR_PTR(-EAGAIN);
	}
	for (cpu = first; cpu < last; cpu++) {
		struct rb_iter_cpu *s = &iter->cpu[cpu];

		s->pos = rb_load_pos(&rb->cpus[cpu].head);
		s->end = rb_load_pos(&rb->cpus[cpu].commit);
		s->peeked_size = 0;
	}
	return iter;
}

/* A walk of every CPU (cat trace), which reads without consuming. While
 * it is open, reset and resize refuse with -EBUSY: end it soon. */
struct ring_buffer_iter *ring_buffer_iter_start(struct ring_buffer *rb)
{
	return rb_iter_start(rb, 0, rb->nr_cpus);
}

struct ring_buffer_iter *ring_buffer_iter_start_cpu(struct ring_buffer *rb, unsigned int cpu)
{
	if (cpu >= rb->nr_cpus)
		return ERR_PTR(-EINVAL);
	return rb_iter_start(rb, cpu, cpu + 1);
}

/* Close the walk (NULL is fine); resets and resizes may go ahead again. */
void ring_buffer_iter_end(struct ring_buffer_iter *iter)
{
	if (!iter)
		return;
	atomic_dec_return(&iter->rb->iters);
	kfree(iter);
}

/*
 * rb_iter_peek - step the walk on @cpu to its next data event and return
 * that event's header in @h. Events consumed or overwritten since the
 * walk passed them are skipped by jumping to head. Returns 0, -ENODATA at
 * the end of this CPU's part of the walk, or -EIO.
 */
static int rb_iter_peek(struct ring_buffer_iter *iter, unsigned int cpu, struct rb_header *h)
{
	const struct rb_cpu *cb = &iter->rb->cpus[cpu];
	struct rb_iter_cpu *s = &iter->cpu[cpu];
	int err;

	for (;;) {
		u64 head = rb_load_pos(&cb->head);

		if (s->pos < head)
			s->pos = head;
		if (s->pos >= s->end)
			return -ENODATA;
		/*
		 * -EAGAIN: overwritten, and then head has passed s->pos
		 * (writers move head before tail), so the next turn jumps.
		 */
		err = rb_check_header(cb, s->pos, h);
		if (err == -EAGAIN)
			continue;
		if (err)
			return err;
		if (h->type == RB_TYPE_DATA)
			return 0;
		s->pos += h->size;
	}
}

/* Copy the event rb_iter_peek() found on @cpu, its header into @h, and
 * leave the walk there; -EAGAIN if it was overwritten meanwhile. */
static int rb_iter_copy(struct ring_buffer_iter *iter, unsigned int cpu,
			struct ring_buffer_record *rec, struct rb_header *h)
{
	const struct rb_cpu *cb = &iter->rb->cpus[cpu];
	struct rb_iter_cpu *s = &iter->cpu[cpu];

	if (!rb_read_header(cb, s->pos, h) || h->type != RB_TYPE_DATA)
		return -EAGAIN;		/* changed since the peek */
	rb_copy(cb, s->pos, h, cpu, rec);
	return rb_check_header(cb, s->pos, h);
}

/* Copy the event rb_iter_peek() found on @cpu and step past it. */
static int rb_iter_read(struct ring_buffer_iter *iter, unsigned int cpu,
			struct ring_buffer_record *rec)
{
	struct rb_header h;
	int err = rb_iter_copy(iter, cpu, rec, &h);

	if (!err)
		iter->cpu[cpu].pos += h.size;
	return err;
}

/* The next event of the walk in timestamp order over its CPUs, copied
 * into @rec. 0, -ENODATA at the end, or -EIO. Never sleeps. */
int ring_buffer_iter_next(struct ring_buffer_iter *iter, struct ring_buffer_record *rec)
{
	struct rb_header h;
	u64 best_ts = 0;
	unsigned int cpu;
	int best, err;

	for (;;) {
		best = -1;
		for (cpu = iter->first; cpu < iter->last; cpu++) {
			err = rb_iter_peek(iter, cpu, &h);
			if (err == -ENODATA)
				continue;
			if (err)
				return err;
			if (best < 0 || h.ts < best_ts) {
				best = (int)cpu;
				best_ts = h.ts;
			}
		}
		if (best < 0)
			return -ENODATA;
		err = rb_iter_read(iter, (unsigned int)best, rec);
		if (err != -EAGAIN)
			return err;
	}
}

/* Copy @cpu's next event of the walk without moving past it, for a
 * printer that looks ahead (function_graph pairs an entry with its
 * return); ring_buffer_iter_skip_cpu() then steps over it. */
int ring_buffer_iter_peek_cpu(struct ring_buffer_iter *iter, unsigned int cpu,
			      struct ring_buffer_record *rec)
{
	struct rb_iter_cpu *s = &iter->cpu[cpu];
	struct rb_header h;
	int err;

	if (cpu < iter->first || cpu >= iter->last)
		return -ENODATA;
	do {
		err = rb_iter_peek(iter, cpu, &h);
		if (!err)
			err = rb_iter_copy(iter, cpu, rec, &h);
	} while (err == -EAGAIN);
	if (!err) {
		s->peeked_pos = s->pos;
		s->peeked_size = h.size;
	}
	return err;
}

/* Step @cpu's walk past the event ring_buffer_iter_peek_cpu() returned,
 * once the printer has used it; nothing if the walk moved on already. */
void ring_buffer_iter_skip_cpu(struct ring_buffer_iter *iter, unsigned int cpu)
{
	struct rb_iter_cpu *s = &iter->cpu[cpu];

	/* Moved on meanwhile (the event was overwritten): nothing to skip. */
	if (cpu >= iter->first && cpu < iter->last && s->pos == s->peeked_pos && s->peeked_size)
		s->pos += s->peeked_size;
	s->peeked_size = 0;
}
