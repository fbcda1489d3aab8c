// Package web is `mkos web`: an HTTP server on the loopback that serves one
// page (assets embedded with go:embed: no CDN, works offline) and the API
// the page talks to:
//
//	GET  /api/snapshot  the live model's snapshot as JSON
//	GET  /api/events    Server-Sent Events: batches of new IPC events and
//	                    log entries (faults, deaths, restarts, controls)
//	POST /api/control   a control: pause, resume, step, speed N|max,
//	                    crash|hang|restart SERVICE, kill TASK (text body)
//	GET  /api/console   a WebSocket to the system's console: keys in,
//	                    screen out
//
// The page draws the snapshot: services, the bus's publish/subscribe
// topics (subscribers, queued and dropped messages), tasks, CPUs, the
// restart log and a diagram of the messages.
//
// Requests from another origin are refused (403): a page elsewhere cannot
// drive the system through the user's browser.
//
// Imports: live.
package web
