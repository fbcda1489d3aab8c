package fsproto_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/fsproto"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/kernel/kerneltest"
)

// answerWords is a fake file server that replies errno e and the words w
// to every request.
func answerWords(e ipc.Errno, w ...uint64) kerneltest.Answer {
	return func(req *ipc.Message) (ipc.Message, []byte) {
		rep := ipc.ErrorReply(req, e)
		for i, v := range w {
			rep.SetWord(i, v)
		}
		return rep, nil
	}
}

// TestClientGarbageReplies is the attack of a server that replies garbage
// counts and errnos: the stub must return EIO, never panic and never pass
// on an errno fs does not document.
func TestClientGarbageReplies(t *testing.T) {
	huge := ^uint64(0)
	tests := []struct {
		name   string
		answer kerneltest.Answer
		op     func(c fsproto.Client) error
		want   error
	}{
		{"readlink length ^0", answerWords(0, huge), func(c fsproto.Client) error { _, err := c.Readlink("/l"); return err }, linux.EIO},
		{"readlink length past the buffer", answerWords(0, fsproto.PathMax+1), func(c fsproto.Client) error { _, err := c.Readlink("/l"); return err }, linux.EIO},
		{"readdir bytes used ^0", answerWords(0, 1, 1, huge, 1), func(c fsproto.Client) error { _, err := c.ReadDir("/"); return err }, linux.EIO},
		{"readdir bytes used 1<<63", answerWords(0, 1, 1, 1<<63, 1), func(c fsproto.Client) error { _, err := c.ReadDir("/"); return err }, linux.EIO},
		{"read count past the buffer", answerWords(0, 9), func(c fsproto.Client) error { _, err := c.Read(3, make([]byte, 8)); return err }, linux.EIO},
		{"write count ^0", answerWords(0, huge), func(c fsproto.Client) error { _, err := c.Write(3, []byte("x")); return err }, linux.EIO},
		{"seek to a negative offset", answerWords(0, huge), func(c fsproto.Client) error { _, err := c.Seek(3, 0, 0); return err }, linux.EIO},
		{"statfs more free than there is", answerWords(0, 4096, 10, 11, 5, 1, 255), func(c fsproto.Client) error { _, err := c.Statfs(); return err }, linux.EIO},
		{"an errno fs does not document", answerWords(linux.ECHILD), func(c fsproto.Client) error { return c.Unlink("/f") }, linux.EIO},
		{"an errno out of range", answerWords(ipc.Errno(60000)), func(c fsproto.Client) error { return c.Mkdir("/d", 0o755) }, linux.EIO},
		{"a documented errno", answerWords(linux.ENOENT), func(c fsproto.Client) error { return c.Unlink("/f") }, linux.ENOENT},
		{"a kernel errno passed on", answerWords(linux.ECONNRESET), func(c fsproto.Client) error { return c.Fsync(3) }, linux.ECONNRESET},
		{"readlink believable", answerWords(0, 2), func(c fsproto.Client) error { _, err := c.Readlink("/l"); return err }, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got error
			err := kerneltest.Fake(fsproto.Name, tc.answer, func(sys ipc.Sys) {
				c, err := fsproto.Dial(sys)
				if err != nil {
					got = err
					return
				}
				got = tc.op(c)
			})
			assert.NoError(t, err, "the run")
			if tc.want == nil {
				assert.NoError(t, got)
			} else {
				assert.ErrorIs(t, got, tc.want)
			}
		})
	}
}
