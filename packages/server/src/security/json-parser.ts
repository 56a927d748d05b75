/**
 * The collector's JSON body parser: `application/json` and `text/plain` (browsers send feedback as text/plain to
 * avoid a CORS preflight), an empty body counts as absent, `__proto__` and `constructor.prototype` keys are
 * removed, and values nested past `maxBodyDepth` are cut from the raw text before anything is built
 * (json-depth.ts), so that validation refuses them per event without the parser ever building them.
 */
import type { FastifyInstance } from "fastify";
import { cutDeeperThan } from "./json-depth.js";

export function registerJsonParser(app: FastifyInstance, maxBodyDepth: number): void {
  const parseJson = app.getDefaultJsonParser("remove", "remove");
  app.removeContentTypeParser(["application/json", "text/plain"]);
  app.addContentTypeParser(
    ["application/json", "text/plain"],
    { parseAs: "string" },
    (request, body, done) => {
      const text = typeof body === "string" ? body : body.toString("utf8");
      if (text.trim() === "") return done(null, undefined);
      return parseJson(request, cutDeeperThan(text, maxBodyDepth), done);
    },
  );
}
