/**
 * The UI's pages and files. `/signin?token=…` consumes a one-time token and sets the session; files of the
 * built dashboard are served as they are; any other page path gets index.html (client-side routing), or a
 * redirect to the sign-in page without a session. Unknown `/api`, `/v2`, `/v0` paths stay JSON 404s.
 */
import { stat } from "node:fs/promises";
import { join, normalize, sep } from "node:path";
import fastifyStatic from "@fastify/static";
import type { FastifyPluginAsync, FastifyReply } from "fastify";
import { readSession, writeSession } from "./auth/cookie.js";
import { consumeSignInToken } from "./auth/tokens.js";
import type { DashboardContext } from "./context.js";
import { setPageHeaders } from "./security/headers.js";

const API_PREFIXES = ["/api/", "/v2/", "/v0/"];

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

export const staticRoutes: FastifyPluginAsync<{ ctx: DashboardContext; staticDir: string }> = async (
  app,
  { ctx, staticDir },
) => {
  if (!app.hasReplyDecorator("sendFile")) {
    await app.register(fastifyStatic, { root: staticDir, serve: false });
  }

  // On every reply of this plugin, not only sendIndex: `/index.html` itself is also a file of the folder.
  app.addHook("onSend", async (_request, reply, payload) => {
    setPageHeaders(reply);
    return payload;
  });

  async function sendIndex(reply: FastifyReply) {
    if (!(await isFile(join(staticDir, "index.html")))) {
      return reply
        .status(503)
        .type("text/plain; charset=utf-8")
        .send(
          `The dashboard is not built: run \`npm run build -w packages/dashboard\` (looked in ${staticDir}).`,
        );
    }
    reply.header("cache-control", "no-cache");
    return reply.sendFile("index.html", staticDir);
  }

  app.get("/signin", async (request, reply) => {
    const token = (request.query as { token?: unknown }).token;
    if (typeof token === "string") {
      if (!(await consumeSignInToken(ctx.store, token)))
        return reply.redirect("/signin?error=invalid_token", 302);
      await writeSession(ctx, request, reply, { projects: [], all: true });
      return reply.redirect("/", 302);
    }
    return sendIndex(reply);
  });

  app.get("/*", async (request, reply) => {
    const path = decodeURIComponent(request.url.split("?")[0] ?? "/");
    if (path === "/api" || API_PREFIXES.some((p) => path.startsWith(p))) {
      return reply.status(404).send({ detail: `no route GET ${path}` });
    }
    const relative = normalize(path).replace(/^([/\\])+/, "");
    const file = join(staticDir, relative);
    if (relative !== "" && (file + sep).startsWith(staticDir + sep) && (await isFile(file))) {
      const immutable = relative.startsWith(`assets${sep}`);
      reply.header("cache-control", immutable ? "public, max-age=31536000, immutable" : "no-cache");
      return reply.sendFile(relative, staticDir);
    }
    if (/\.[a-z0-9]+$/i.test(path)) return reply.status(404).type("text/plain").send(`no file ${path}`);
    if (!(await readSession(ctx, request))) {
      return reply.redirect(`/signin?next=${encodeURIComponent(request.url)}`, 302);
    }
    return sendIndex(reply);
  });
};
