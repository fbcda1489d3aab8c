package dsproto

import (
	"errors"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
)

// DefaultPage is the receive window List and Changes offer per request
// unless Client.PageBytes says otherwise.
const DefaultPage = 4096

// DefaultAttempts is how often a client makes an idempotent request whose
// ds instance died under it, unless Client.Attempts says otherwise.
const DefaultAttempts = 4

// firstGet is the receive window Get offers before it knows the value's
// length: most values fit, and a longer one costs a second request.
const firstGet = 512

// Client makes data store requests to the ds service at Dst. Use one
// Client per task: it remembers the generation of the last reply.
//
// Put, Get, Delete and List are retried when the ds instance dies while
// serving them (ECONNRESET) or no instance answers in time (EAGAIN): they
// are idempotent, and the data survive the restart. A retried Delete that
// finds no key reports success, since the attempt that died may have
// deleted it. Subscribe, Unsubscribe and Changes are not retried: the
// state they act on died with the instance.
type Client struct {
	Sys ipc.Sys
	Dst ipc.Endpoint
	// Gen is the generation of the ds instance that answered the last
	// request (0 before the first). When it changes, the ds restarted and
	// every subscription of this task is gone.
	Gen uint64
	// PageBytes is the receive window List and Changes offer per request:
	// DefaultPage when 0, and between MinWindow and ipc.MaxBulk.
	PageBytes int
	// Attempts bounds the tries of an idempotent request: DefaultAttempts
	// when 0; 1 turns retries off.
	Attempts int
	// TimeoutNs, when positive, bounds each request's wait for its reply
	// in virtual time (ipc.Extra.TimeoutNs): the request fails with
	// ETIMEDOUT, and is not tried again. A server that must not hang with
	// a hung ds sets it.
	TimeoutNs int64
}

// Dial looks up the data store and returns a client of it.
func Dial(sys ipc.Sys) (*Client, error) {
	id, err := sys.Lookup(Name)
	if err != nil {
		return nil, err
	}
	return &Client{Sys: sys, Dst: ipc.ServiceEndpoint(id)}, nil
}

// Put stores value under key, replacing any value it had.
func (c *Client) Put(key string, value []byte) error {
	if err := CheckKey(key); err != nil {
		return err
	}
	if err := CheckValue(value); err != nil {
		return err
	}
	req := ipc.Message{Type: Put}
	req.SetWord(0, uint64(len(key)))
	req.SetWord(1, uint64(len(value)))
	send := append([]byte(key), value...)
	_, _, err := c.do(&req, &ipc.Extra{Send: send}, true)
	return err
}

// Get returns the value stored under key; ENOENT when there is none.
func (c *Client) Get(key string) ([]byte, error) {
	buf := make([]byte, firstGet)
	for {
		n, err := c.GetInto(key, buf)
		if errors.Is(err, linux.ERANGE) && n > len(buf) && n <= MaxValue {
			buf = make([]byte, n) // the value grew: try with its length
			continue
		}
		if err != nil {
			return nil, err
		}
		return buf[:n], nil
	}
}

// GetInto reads the value stored under key into buf and returns its
// length. When buf is too short it fails with ERANGE and returns the
// length the value needs.
func (c *Client) GetInto(key string, buf []byte) (int, error) {
	if err := CheckKey(key); err != nil {
		return 0, err
	}
	req := ipc.Message{Type: Get}
	req.SetWord(0, uint64(len(key)))
	req.SetWord(1, uint64(len(buf)))
	rep, _, err := c.do(&req, &ipc.Extra{Send: []byte(key), Recv: buf}, true)
	most := len(buf) // what a value that fits buf can be
	if errors.Is(err, linux.ERANGE) {
		most = MaxValue // the length a longer value needs
	} else if err != nil {
		return 0, err
	}
	n, ok := ipc.Count(rep.Word(0), most)
	if !ok || errors.Is(err, linux.ERANGE) && n <= len(buf) {
		return 0, ipc.ErrBadReply
	}
	return n, err
}

// Delete removes key; ENOENT when there is no such key.
func (c *Client) Delete(key string) error {
	if err := CheckKey(key); err != nil {
		return err
	}
	req := ipc.Message{Type: Delete}
	req.SetWord(0, uint64(len(key)))
	_, tries, err := c.do(&req, &ipc.Extra{Send: []byte(key)}, true)
	if tries > 1 && errors.Is(err, linux.ENOENT) {
		return nil
	}
	return err
}

// List returns every key under prefix, in sorted order, in as many
// requests as the keys need. Keys created or deleted while it pages may
// or may not be listed; no key is listed twice.
func (c *Client) List(prefix string) ([]string, error) {
	buf := make([]byte, c.page())
	var keys []string
	after := ""
	for {
		page, more, err := c.ListPage(prefix, after, buf)
		if err != nil {
			return keys, err
		}
		keys = append(keys, page...)
		if !more || len(page) == 0 {
			return keys, nil
		}
		after = page[len(page)-1]
	}
}

// ListPage returns the keys under prefix that sort after `after` (all,
// when it is empty), as many as fit buf, and whether more follow.
func (c *Client) ListPage(prefix, after string, buf []byte) (keys []string, more bool, err error) {
	if err := CheckPrefix(prefix); err != nil {
		return nil, false, err
	}
	if err := CheckPrefix(after); err != nil {
		return nil, false, err
	}
	req := ipc.Message{Type: List}
	req.SetWord(0, uint64(len(prefix)))
	req.SetWord(1, uint64(len(after)))
	req.SetWord(2, uint64(len(buf)))
	rep, _, err := c.do(&req, &ipc.Extra{Send: []byte(prefix + after), Recv: buf}, true)
	if err != nil {
		return nil, false, err
	}
	used, ok := ipc.Count(rep.Word(1), len(buf))
	n, okN := ipc.Count(rep.Word(0), len(buf))
	if !ok || !okN {
		return nil, false, ipc.ErrBadReply
	}
	keys, err = DecodeKeys(buf[:used], n)
	return keys, rep.Word(2) != 0, err
}

// Subscribe asks to be notified with bits (DefaultBits unless the task
// has a reason to pick others) when a key under prefix changes, and
// returns the generation of the ds instance that holds the subscription.
// The notification comes as a publication on the task's notice topic
// (notice.go), which Subscribe subscribes the task to: the task's
// subscriptions to the bus count one more.
func (c *Client) Subscribe(prefix string, bits uint64) (gen uint64, err error) {
	if err := CheckPrefix(prefix); err != nil {
		return 0, err
	}
	if err := CheckBits(bits); err != nil {
		return 0, err
	}
	if err := c.listen(bits); err != nil {
		return 0, err
	}
	req := ipc.Message{Type: Subscribe}
	req.SetWord(0, uint64(len(prefix)))
	req.SetWord(1, bits)
	rep, _, err := c.do(&req, &ipc.Extra{Send: []byte(prefix)}, false)
	return rep.Word(GenWord), err
}

// Unsubscribe ends the subscription to prefix; ENOENT when there is none.
func (c *Client) Unsubscribe(prefix string) error {
	if err := CheckPrefix(prefix); err != nil {
		return err
	}
	req := ipc.Message{Type: Unsubscribe}
	req.SetWord(0, uint64(len(prefix)))
	_, _, err := c.do(&req, &ipc.Extra{Send: []byte(prefix)}, false)
	return err
}

// Changes takes every change queued for the caller, oldest first, and
// reports whether some were dropped because the queue was full (then
// re-read what you watch with List). ESTALE when the caller has no
// subscription, e.g. because the ds restarted.
func (c *Client) Changes() (changes []Change, overflow bool, err error) {
	c.drainNotices()
	buf := make([]byte, c.page())
	for {
		req := ipc.Message{Type: Changes}
		req.SetWord(0, uint64(len(buf)))
		rep, _, err := c.do(&req, &ipc.Extra{Recv: buf}, false)
		if err != nil {
			return changes, overflow, err
		}
		used, ok := ipc.Count(rep.Word(1), len(buf))
		n, okN := ipc.Count(rep.Word(0), len(buf))
		if !ok || !okN {
			return changes, overflow, ipc.ErrBadReply
		}
		page, err := DecodeChanges(buf[:used], n)
		changes = append(changes, page...)
		overflow = overflow || rep.Word(3) != 0
		if err != nil || rep.Word(2) == 0 || len(page) == 0 {
			return changes, overflow, err
		}
	}
}

// Crash asks the ds to panic: fault injection. The caller sees what the
// placement implies: ECONNRESET in user space, a halted system in the
// kernel.
func (c *Client) Crash() error {
	req := ipc.Message{Type: Crash}
	_, _, err := c.do(&req, nil, false)
	return err
}

// do makes one request, again while the instance dies under an idempotent
// one, and returns the reply, the tries made, and the error of the call
// or of the reply.
func (c *Client) do(req *ipc.Message, x *ipc.Extra, idempotent bool) (ipc.Message, int, error) {
	tries := 1
	if idempotent {
		tries = c.attempts()
	}
	var rep ipc.Message
	var err error
	for i := 1; i <= tries; i++ {
		r := *req
		rep = ipc.Message{}
		if c.TimeoutNs > 0 {
			if x == nil {
				x = &ipc.Extra{}
			}
			x.TimeoutNs = c.TimeoutNs
		}
		if err = c.Sys.CallWith(c.Dst, &r, &rep, x); err == nil {
			c.Gen = rep.Word(GenWord)
			return rep, i, ipc.ReplyErr(&rep, Errnos)
		}
		if !retryable(err) {
			return rep, i, err
		}
	}
	return rep, tries, err
}

// retryable reports whether a failed call may be made again: the instance
// died serving it, or none came up in time.
func retryable(err error) bool {
	return errors.Is(err, ipc.ErrServiceDied) || errors.Is(err, ipc.ErrNoInstance)
}

func (c *Client) page() int {
	if c.PageBytes == 0 {
		return DefaultPage
	}
	return min(max(c.PageBytes, MinWindow), ipc.MaxBulk)
}

func (c *Client) attempts() int {
	if c.Attempts <= 0 {
		return DefaultAttempts
	}
	return c.Attempts
}
