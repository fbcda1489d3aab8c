// Package dsproto is the protocol of the data store (ds): a key-value
// service that servers and programs use to keep the state they need after
// a restart. It holds the request types, the layout of each request and
// reply, the records that travel through the bulk windows, the limits,
// and the typed client (Client). It imports ipc only.
//
// # Keys and values
//
// A key is 1 to MaxKey (255) bytes and holds no NUL byte; keys compare as
// byte strings, and List returns them in that order. A value is 0 to
// MaxValue (60 KiB) bytes. Neither travels inline: the key (or prefix)
// goes first in the caller's bulk send window, its length in W0, and a
// value goes after it (Put) or comes back in the receive window (Get).
//
// # Errors
//
// Every failure is a Linux errno in the reply's Errno: ENOENT (no such
// key; Unsubscribe of a prefix not subscribed), EINVAL (a bad key or
// prefix, a receive window too small for one record, notification bits
// 0 or NotifyDeath), E2BIG (a value above MaxValue), ERANGE (Get's receive
// window is shorter than the value: W0 says how long it is), ENOSPC (too
// many subscribers or prefixes), EPERM (a Put or Delete of a key under
// SysPrefix by a caller that is not root), ESTALE (Changes without a subscription:
// the ds restarted since the caller subscribed, or it never did), EIO
// (the backend failed). The kernel adds its own (ECONNRESET when the ds
// instance died serving the request, EAGAIN when none came up in time).
//
// # Generations and restarts
//
// Every reply carries in word GenWord the generation of the ds instance
// that answered: a counter kept in the store itself and bumped each time
// a ds server starts on it. The data live in the store and survive a
// restart of the ds (and, with the file backend, of mkos); subscriptions
// live in the ds instance and do not. A subscriber notices the loss when
// Client.Gen changes (or Changes fails with ESTALE), and then subscribes
// again and re-reads what it watches with List and Get.
//
// # Subscriptions
//
// Subscribe(prefix, bits) asks the ds to record every change to a key
// under prefix in the caller's queue (one queue per subscriber, for all
// its prefixes, holding at most the server's queue length) and to tell
// the caller when a change lands in an empty queue: ds publishes on the
// caller's notice topic (NoticeTopic, notice.go), to which Subscribe
// subscribed the caller with bits, so the caller is notified with bits
// as when ds notified it directly. The caller
// then fetches the queued changes with Changes, until none are left. A
// queue that fills up drops further changes and sets an overflow flag,
// reported (and cleared) by the next Changes: the subscriber has missed
// changes and should re-read with List.
//
// # Replies the stubs do not believe
//
// Errnos (errnos.go) is the set of errnos the protocol documents. The
// client stubs check every reply: an errno outside Errnos and
// ipc.CallErrnos, or a count or length past the buffer it describes, is
// garbage, and the stub returns ipc.ErrBadReply (EIO) instead of
// believing it; a stub never panics on a reply.
package dsproto
