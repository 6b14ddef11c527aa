// Swagger UI from the swagger-ui-dist npm package, served by the API itself (no CDN).
window.addEventListener("DOMContentLoaded", () => {
  window.ui = window.SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true });
});
