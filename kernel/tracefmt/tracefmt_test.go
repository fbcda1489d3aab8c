package tracefmt

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/kernel"
)

type echo struct{}

func (echo) Handle(_ *ipc.Ctx, req *ipc.Message) ipc.Message { return ipc.Reply(req) }

// record runs a small system (a server task and a client calling it twice)
// with both a recorder and a JSON-lines tracer.
func record(t *testing.T) ([]kernel.Event, []byte) {
	rec := &kernel.Recorder{}
	var buf bytes.Buffer
	j := kernel.NewJSONTracer(&buf)
	k, err := kernel.New(kernel.Config{Trace: both{rec, j}})
	require.NoError(t, err)
	k.Declare("echo")
	k.Spawn(ipc.TaskSpec{Name: "echo", Body: func(sys ipc.Sys) { ipc.Serve(sys, "echo", echo{}) }})
	k.Spawn(ipc.TaskSpec{Name: "client", Body: func(sys ipc.Sys) {
		id, _ := sys.Lookup("echo")
		var req, rep ipc.Message
		for i := 0; i < 2; i++ {
			require.NoError(t, sys.Call(ipc.ServiceEndpoint(id), &req, &rep))
		}
	}})
	require.NoError(t, k.Run())
	require.NoError(t, j.Flush())
	return rec.Events, buf.Bytes()
}

type both [2]kernel.Tracer

func (b both) Event(e *kernel.Event) { b[0].Event(e); b[1].Event(e) }

func TestReadJSONLRoundTrip(t *testing.T) {
	events, data := record(t)
	got, err := ReadJSONL(bytes.NewReader(data))
	require.NoError(t, err)
	assert.Equal(t, events, got)
}

func TestReadJSONLHost(t *testing.T) {
	events := []kernel.Event{{T: 5, Host: 2, Kind: kernel.EvTick}, {T: 6, Kind: kernel.EvTick}}
	var buf bytes.Buffer
	j := kernel.NewJSONTracer(&buf)
	for i := range events {
		j.Event(&events[i])
	}
	require.NoError(t, j.Flush())
	assert.Equal(t, `{"t":5,"host":2,"cpu":0,"ev":"tick"}`+"\n"+`{"t":6,"cpu":0,"ev":"tick"}`+"\n", buf.String())
	got, err := ReadJSONL(&buf)
	require.NoError(t, err)
	assert.Equal(t, events, got)
}

func TestReadJSONLErrors(t *testing.T) {
	for name, in := range map[string]string{
		"not json":      "{",
		"unknown event": `{"t":1,"cpu":0,"ev":"teleport"}`,
		"bad endpoint":  `{"t":1,"cpu":0,"ev":"send","task":"x.y"}`,
	} {
		_, err := ReadJSONL(strings.NewReader(in))
		assert.ErrorContains(t, err, "line 1", name)
	}
}

func TestParseEndpoint(t *testing.T) {
	for _, ep := range []ipc.Endpoint{ipc.TaskEndpoint(3, 7), ipc.ServiceEndpoint(9), ipc.Any, ipc.KernelEndpoint} {
		got, err := ParseEndpoint(ep.String())
		require.NoError(t, err)
		assert.Equal(t, ep, got, ep.String())
	}
}

func TestChartNamesTasksAndServices(t *testing.T) {
	events, _ := record(t)
	var sb strings.Builder
	kinds, err := ParseKinds("call,receive,reply")
	require.NoError(t, err)
	NewChart().Write(&sb, events, Options{Kinds: kinds, Limit: 3})
	lines := strings.Split(strings.TrimSpace(sb.String()), "\n")
	require.Len(t, lines, 4)
	assert.Contains(t, lines[0], "client(2.1)")
	assert.Contains(t, lines[0], "-> svc:echo")
	assert.Contains(t, lines[1], "receive echo.type=0", "a type the service's protocol does not name")
	assert.Contains(t, lines[2], "echo(1.1)")
	assert.Equal(t, "… 3 more", lines[3])
}

func TestWritePerfetto(t *testing.T) {
	events, _ := record(t)
	var buf bytes.Buffer
	require.NoError(t, WritePerfetto(&buf, events))
	var doc struct {
		TraceEvents []struct {
			Name string  `json:"name"`
			Ph   string  `json:"ph"`
			Ts   float64 `json:"ts"`
			Dur  float64 `json:"dur"`
		} `json:"traceEvents"`
	}
	require.NoError(t, json.Unmarshal(buf.Bytes(), &doc))
	slices := map[string]int{}
	for _, e := range doc.TraceEvents {
		if e.Ph == "X" {
			slices[e.Name]++
			assert.GreaterOrEqual(t, e.Dur, 0.0)
		}
	}
	assert.Positive(t, slices["client(2.1)"], "the client's running slices")
	assert.Positive(t, slices["echo(1.1)"], "the server's running slices")
	var again bytes.Buffer
	require.NoError(t, WritePerfetto(&again, events))
	assert.Equal(t, buf.String(), again.String(), "deterministic output")
}

// A trace cut short is read up to the damage.
func TestReadJSONLTruncated(t *testing.T) {
	events, data := record(t)
	lines := bytes.SplitAfter(data, []byte("\n"))
	cut := bytes.Join(lines[:5], nil)
	cut = append(cut, lines[5][:len(lines[5])/2]...)
	got, err := ReadJSONL(bytes.NewReader(cut))
	var damage *DamageError
	require.ErrorAs(t, err, &damage)
	assert.Equal(t, 6, damage.Line)
	assert.Equal(t, events[:5], got, "the events before the damage")
}
