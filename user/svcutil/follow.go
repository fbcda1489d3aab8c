package svcutil

import (
	"fmt"
	"io"
	"strconv"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/rsproto"
)

// svc log -f N follows the restart log, as tail -f does, through a
// request/stream from rs, until it printed N entries. svc watch N prints
// the next N changes of a service's state that rs publishes on rs/state.

// follow prints the restart log and the entries that follow, n in all.
func follow(out io.Writer, c rsproto.Client, arg string) error {
	n, _ := strconv.Atoi(arg)
	const row = "%-10s %-8s %-6s %-6s %-10s %s\n" // fixed widths: each line prints as it comes
	fmt.Fprintf(out, row, "TIME", "SERVICE", "OLD", "NEW", "DOWN", "CAUSE")
	return c.FollowLog(true, func(e rsproto.LogEntry) bool {
		fmt.Fprintf(out, row, FormatNs(e.TimeNs), e.Service, task(e.Old), task(e.New), FormatNs(e.TimeNs-e.DiedNs), e.Cause)
		n--
		return n > 0
	})
}

// watch prints the next n state changes rs publishes.
func watch(out io.Writer, c rsproto.Client, arg string) error {
	n, _ := strconv.Atoi(arg)
	if err := ipc.Subscribe(c.Sys, rsproto.TopicState, 0); err != nil {
		return err
	}
	defer ipc.Unsubscribe(c.Sys, rsproto.TopicState)
	for ; n > 0; n-- {
		var m ipc.Message
		_, dropped, err := ipc.NextPublished(c.Sys, rsproto.TopicState, true, &m)
		if err != nil {
			return err
		}
		name, st, live, err := rsproto.ParseStateMessage(&m)
		if err != nil {
			return err
		}
		if dropped > 0 {
			fmt.Fprintf(out, "(%d changes missed)\n", dropped)
		}
		fmt.Fprintf(out, "%s %s %s, %d live\n", FormatNs(c.Sys.Now()), name, st, live)
	}
	return nil
}
