package ipc

// The two helpers every protocol's typed stubs share.

// Dial looks up the named service and returns its endpoint.
func Dial(sys Sys, name string) (Endpoint, error) {
	id, err := sys.Lookup(name)
	if err != nil {
		return 0, err
	}
	return ServiceEndpoint(id), nil
}

// Do makes one call to dst, with the bulk window x when it is not nil, and
// returns the reply together with the first error: the call's own (the
// kernel could not deliver it) or the errno the reply carries, checked
// against the protocol's documented set (ReplyErr: ErrBadReply for any
// other).
func Do(sys Sys, dst Endpoint, req *Message, x *Extra, set Errnos) (Message, error) {
	var rep Message
	var err error
	if x == nil {
		err = sys.Call(dst, req, &rep)
	} else {
		err = sys.CallWith(dst, req, &rep, x)
	}
	if err != nil {
		return rep, err
	}
	return rep, ReplyErr(&rep, set)
}
