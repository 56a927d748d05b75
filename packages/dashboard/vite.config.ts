// Vite builds the UI into dist/, which phospho-server serves at /. `npm run dev` proxies /api and /signin to a
// collector on PHOSPHO_DEV_SERVER (default http://127.0.0.1:7878).
import react from "@vitejs/plugin-react";
import { defineConfig, type PluginOption } from "vite";

const target = process.env.PHOSPHO_DEV_SERVER ?? "http://127.0.0.1:7878";

export default defineConfig({
  // The cast: @vitejs/plugin-react is typed against the hoisted vite 8 (pulled in by vitest) while this
  // package builds with vite 7; the plugin works with both, only their type declarations differ.
  plugins: [react() as unknown as PluginOption],
  build: { outDir: "dist", emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 1200 },
  server: { proxy: { "/api": target, "/signin?": target, "/v2": target } },
});
