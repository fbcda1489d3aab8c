//go:build !js

// Package top is `mkos top`: a terminal dashboard (bubbletea, lipgloss) of
// a live.Model — CPUs with their current task and run queue, the services
// with their rates and latencies, the tasks, the last IPC events and the
// log of faults, deaths, restarts and controls — with a key for every
// control. Render draws one frame as plain text or with colours; Model is
// the bubbletea program around it.
//
// Imports: live.
package top
