//go:build js

package main

import (
	"encoding/json"
	"time"

	"syscall/js"

	"github.com/spf13/cobra"

	"github.com/mkos/mkos/live"
	"github.com/mkos/mkos/live/web"
)

// The playground: mkos built for js/wasm in a browser tab (make
// playground). The page's script runs `mkos playground`, which boots what
// `mkos web` boots and hands the page window.mkosAPI — the same four
// methods the page otherwise reaches over HTTP (live/web/assets/app.js).

func init() { extraCommands = append(extraCommands, newPlaygroundCmd) }

func newPlaygroundCmd() *cobra.Command {
	var f webFlags
	cmd := &cobra.Command{
		Use:    "playground",
		Short:  "Run the system in this browser tab for the page (js/wasm only)",
		Hidden: true,
		Args:   cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			r, con, err := bootWebSystem(cmd, &f)
			if err != nil {
				return err
			}
			r.start()
			js.Global().Set("mkosAPI", playgroundAPI(r.model, con))
			return r.wait(cmd) // the tab keeps it running
		},
	}
	f.add(cmd.Flags(), "1")
	return cmd
}

// playgroundAPI is window.mkosAPI: snapshot, control, events, console.
func playgroundAPI(m *live.Model, con *live.Console) js.Value {
	api := js.Global().Get("Object").New()
	api.Set("snapshot", js.FuncOf(func(js.Value, []js.Value) any {
		return promise(func() any { return toJS(m.Snapshot(100 * time.Millisecond)) })
	}))
	api.Set("control", js.FuncOf(func(_ js.Value, args []js.Value) any {
		cmd := args[0].String()
		return promise(func() any {
			if err := m.Control(cmd); err != nil {
				return err.Error()
			}
			return "ok: " + cmd
		})
	}))
	api.Set("events", js.FuncOf(func(_ js.Value, args []js.Value) any {
		onBatch := args[0]
		go func() {
			var feed web.Feed
			for !m.Ended() {
				if s := m.Snapshot(100 * time.Millisecond); s != nil {
					onBatch.Invoke(toJS(feed.Next(s)))
				}
				time.Sleep(100 * time.Millisecond)
			}
		}()
		return nil
	}))
	api.Set("console", js.FuncOf(func(_ js.Value, args []js.Value) any {
		onOutput := args[0]
		screen, out := con.Attach()
		go func() {
			onOutput.Invoke(string(screen))
			for b := range out {
				onOutput.Invoke(string(b))
			}
		}()
		return js.FuncOf(func(_ js.Value, a []js.Value) any {
			text := a[0].String()
			go con.Type([]byte(text))
			return nil
		})
	}))
	return api
}

// promise runs f on a goroutine of its own (a call from JavaScript must
// not block) and returns a Promise of its result.
func promise(f func() any) js.Value {
	var h js.Func
	h = js.FuncOf(func(_ js.Value, args []js.Value) any {
		resolve := args[0]
		go func() {
			resolve.Invoke(f())
			h.Release()
		}()
		return nil
	})
	return js.Global().Get("Promise").New(h)
}

// toJS turns v into a JavaScript value through JSON.
func toJS(v any) js.Value {
	b, _ := json.Marshal(v)
	return js.Global().Get("JSON").Call("parse", string(b))
}
