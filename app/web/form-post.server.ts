import { createContext, type MiddlewareFunction } from "react-router";

/**
 * Whether the request is a form POST. Every accepted form redirects (post/redirect/get), so a
 * page rendered in answer to a POST (a form sent without JavaScript) shows a refused form.
 * The loaders that run after the action get a GET request, hence this note from the middleware.
 */
export const formPostContext = createContext(false);

export const formPostMiddleware: MiddlewareFunction<Response> = ({ request, context }, next) => {
  context.set(formPostContext, request.method === "POST");
  return next();
};
