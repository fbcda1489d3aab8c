// Package tracefmt reads kernel traces back from JSON lines and renders
// them for people: a message sequence chart in plain text for lecture
// slides (Chart), and the Chrome/Perfetto trace-event JSON for
// ui.perfetto.dev (WritePerfetto).
//
// Everything it needs is in the event stream itself: task names come from
// spawn events, service names from register events.
//
// Imports: kernel, ipc.
package tracefmt
