// Package nullproto is the protocol of the null service, whose one request
// does nothing: the null system call that measures the cost of a crossing.
// It imports ipc only.
package nullproto
