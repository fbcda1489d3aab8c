package svcutil_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/boot"
)

// svc stats prints the bus's metrics of a service and its instances, as
// a table and as JSON; svc scale changes the number of instances and
// stats shows each new one.
func TestSvcStatsAndScale(t *testing.T) {
	for _, mode := range []boot.Mode{boot.Micro, boot.Hybrid} {
		t.Run(string(mode), func(t *testing.T) {
			outs, codes, _, err := session(t, mode,
				"echo", "echo", "echo", // 0-2
				"svc stats echo",        // 3
				"svc stats --json echo", // 4
				"svc scale echo 3",      // 5
				"sleep", "echo", "echo", // 6-8: the new instances register
				"svc stats --json echo", // 9
				"svc stats nope",        // 10
				"svc stats a b",         // 11
				"svc scale echo 0",      // 12
				"svc scale echo 1",      // 13
				"svc stats",             // 14
			)
			require.NoError(t, err)
			assert.Equal(t, []int{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 1, 0, 0}, codes, "exit codes; outputs %q", outs)
			lines := strings.Split(strings.TrimSpace(outs[3]), "\n")
			require.Len(t, lines, 2, "a header and echo's line: %q", outs[3])
			assert.Regexp(t, `^SERVICE +TASK +REQ/S\([0-9.]+µs\) +IN FLIGHT +QUEUE +P50 +P99 +ERRORS +REQUESTS$`, lines[0])
			assert.Equal(t, []string{"echo", "*"}, strings.Fields(lines[1])[:2])
			assert.Equal(t, "3", strings.Fields(lines[1])[8], "REQUESTS")

			var before, after []struct {
				Service   string
				Requests  int64
				InFlight  int64 `json:"in_flight"`
				Instances []struct {
					Task     string
					Requests int64
				}
			}
			require.NoError(t, json.Unmarshal([]byte(outs[4]), &before), outs[4])
			require.Len(t, before, 1)
			assert.Equal(t, "echo", before[0].Service)
			assert.Equal(t, int64(3), before[0].Requests)
			assert.Len(t, before[0].Instances, 1)
			assert.Equal(t, "echo: 1 → 3 instances (want 3)\n", outs[5])
			require.NoError(t, json.Unmarshal([]byte(outs[9]), &after), outs[9])
			require.Len(t, after[0].Instances, 3, "three instances after svc scale")
			var sum int64
			for _, in := range after[0].Instances {
				sum += in.Requests
			}
			assert.Equal(t, int64(5), sum, "the instances served the five calls")
			assert.Equal(t, "svc: stats nope: no such service (ENOENT)\n", outs[10])
			assert.Contains(t, outs[11], "usage:")
			assert.Contains(t, outs[12], "(EINVAL)")
			assert.Equal(t, "echo: 3 → 1 instances (want 1)\n", outs[13])
			assert.Regexp(t, `\nnull +\* `, outs[14], "every service")
		})
	}
}
