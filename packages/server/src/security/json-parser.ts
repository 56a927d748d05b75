/**
 * The collector's JSON body parser: `application/json` and `text/plain` (browsers send feedback as text/plain to
 * avoid a CORS preflight), an empty body counts as absent, `__proto__` and `constructor.prototype` keys are
 * removed, and nesting is checked on the raw text before anything is built (see json-depth.ts).
 */
import type { FastifyInstance } from "fastify";
import { HttpError } from "../errors.js";
import { nestsDeeperThan } from "./json-depth.js";

export function registerJsonParser(app: FastifyInstance, maxBodyDepth: number): void {
  const parseJson = app.getDefaultJsonParser("remove", "remove");
  app.removeContentTypeParser(["application/json", "text/plain"]);
  app.addContentTypeParser(
    ["application/json", "text/plain"],
    { parseAs: "string" },
    (request, body, done) => {
      const text = typeof body === "string" ? body : body.toString("utf8");
      if (text.trim() === "") return done(null, undefined);
      if (nestsDeeperThan(text, maxBodyDepth)) {
        return done(
          new HttpError(
            400,
            `body: nested deeper than ${maxBodyDepth} levels (each event allows 64): send flatter JSON`,
          ),
          undefined,
        );
      }
      return parseJson(request, text, done);
    },
  );
}
