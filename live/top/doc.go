// Package top is `mkos top`: a terminal dashboard (bubbletea, lipgloss) of
// a live.Model — CPUs with their current task and run queue, the services
// with their rates and latencies, the tasks, the last IPC events and the
// log of faults, deaths, restarts and controls — with a key for every
// control. Render draws one frame as plain text or with colours; Model is
// the bubbletea program around it.
//
// The bubbletea models (model.go, split.go) are absent in js/wasm, where
// bubbletea does not build; Render and the styles are there.
//
// Imports: live.
package top
