// Package autoscaleproto is the protocol of the autoscaler
// (servers/autoscale): one request, Status, for tools and tests. The
// autoscaler acts on its own timer; it needs no request to work. It
// imports ipc and ipc/linux only.
package autoscaleproto
