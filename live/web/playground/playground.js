// The playground's loader: it runs mkos (mkos.wasm, built for js/wasm) in
// this tab as `mkos playground`, waits for it to offer window.mkosAPI,
// then starts the same page script mkos web serves (app.js).
"use strict";

(async function () {
  const state = document.getElementById("state");
  state.textContent = "loading the simulator…";
  const go = new Go();
  go.argv = ["mkos", "playground"];
  const wasm = await WebAssembly.instantiateStreaming(fetch("mkos.wasm"), go.importObject);
  go.run(wasm.instance).then(() => { state.textContent = "the simulator stopped"; });
  while (!window.mkosAPI) await new Promise((r) => setTimeout(r, 20));
  const s = document.createElement("script");
  s.src = "app.js";
  document.body.append(s);
})();
