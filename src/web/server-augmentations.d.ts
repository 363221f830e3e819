/// <reference types="@fastify/cookie" />
/// <reference types="@fastify/multipart" />
// The web infers types from server route files (their zod schemas); those files use the request and reply additions of
// Fastify plugins, which the plugins' packages declare. Type-only: nothing of the server reaches the browser bundle.
export {};
