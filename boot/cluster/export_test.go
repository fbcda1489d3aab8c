//go:build !js

package cluster

import "github.com/nats-io/nats.go"

// PublishRaw publishes data on subject through node's connection, as a
// hostile peer on the wire would.
func (c *Cluster) PublishRaw(node, subject, reply string, data []byte) error {
	return c.Node(node).b.publish(&nats.Msg{Subject: subject, Reply: reply, Data: data}, 0)
}
