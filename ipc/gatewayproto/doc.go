// Package gatewayproto is what the gateways of a cluster's nodes agree
// on: the frames that cross the wire (NATS) for a call from one node to a
// service on another (wire.go), the subjects they travel on, and the Link
// through which a node's gateway server reaches its host-side connection
// (link.go). See docs/cluster.md.
//
// Every frame that arrives is hostile: Decode checks every length and
// never panics (FuzzDecode).
//
// It imports only ipc.
package gatewayproto
