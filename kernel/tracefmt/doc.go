// Package tracefmt reads kernel traces back from JSON lines and renders
// them for people: a message sequence chart in plain text for lecture
// slides (Chart), and the Chrome/Perfetto trace-event JSON for
// ui.perfetto.dev (WritePerfetto).
//
// Everything it needs is in the event stream itself: task names come from
// spawn events, service names from register events; message types are
// named by the protocol of the service they go to, from the names each
// protocol package registers with ipc.RegisterNames ("fs.open").
// perfetto.go says how the Perfetto export lays tracks, flows, instants
// and counters out; perfetto_hosts.go how a trace of several machines
// (events with Host set) gets each machine's processes apart. The chart
// starts each line of such a trace with its machine.
//
// Imports: kernel, ipc.
package tracefmt
