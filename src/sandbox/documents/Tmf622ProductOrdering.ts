/**
 * A TMF622-like Product Ordering API, trimmed to a few operations: Swagger 2.0 in YAML, which API Management does
 * not import as such (the operator converts it to JSON).
 */
export const tmf622ProductOrdering = `swagger: '2.0'
info:
  title: Product Ordering Management
  description: Sandbox sample modelled on TMF622 Product Ordering v4 - orders for product offerings.
  version: 4.0.0
host: serverRoot
basePath: /tmf-api/productOrderingManagement/v4
schemes:
  - https
consumes:
  - application/json;charset=utf-8
produces:
  - application/json;charset=utf-8
tags:
  - name: productOrder
paths:
  /productOrder:
    get:
      operationId: listProductOrder
      summary: List or find ProductOrder objects
      tags: [productOrder]
      parameters:
        - name: fields
          in: query
          type: string
          description: Comma-separated properties to be provided in response
        - name: state
          in: query
          type: string
          description: Only orders in this state
      responses:
        '200':
          description: Success
          schema:
            type: array
            items:
              $ref: '#/definitions/ProductOrder'
        '400':
          description: Bad Request
          schema:
            $ref: '#/definitions/Error'
    post:
      operationId: createProductOrder
      summary: Creates a ProductOrder
      tags: [productOrder]
      parameters:
        - name: productOrder
          in: body
          required: true
          schema:
            $ref: '#/definitions/ProductOrder_Create'
      responses:
        '201':
          description: Created
          schema:
            $ref: '#/definitions/ProductOrder'
        '400':
          description: Bad Request
          schema:
            $ref: '#/definitions/Error'
  /productOrder/{id}:
    get:
      operationId: retrieveProductOrder
      summary: Retrieves a ProductOrder by ID
      tags: [productOrder]
      parameters:
        - name: id
          in: path
          required: true
          type: string
          description: Identifier of the ProductOrder
      responses:
        '200':
          description: Success
          schema:
            $ref: '#/definitions/ProductOrder'
        '404':
          description: Not Found
          schema:
            $ref: '#/definitions/Error'
definitions:
  ProductOrder:
    type: object
    properties:
      id:
        type: string
      href:
        type: string
      state:
        type: string
        enum: [acknowledged, rejected, pending, held, inProgress, cancelled, completed, failed]
      orderDate:
        type: string
        format: date-time
      productOrderItem:
        type: array
        items:
          $ref: '#/definitions/ProductOrderItem'
  ProductOrder_Create:
    type: object
    required: [productOrderItem]
    properties:
      description:
        type: string
      productOrderItem:
        type: array
        items:
          $ref: '#/definitions/ProductOrderItem'
  ProductOrderItem:
    type: object
    required: [id, action]
    properties:
      id:
        type: string
      action:
        type: string
        enum: [add, modify, delete, noChange]
      quantity:
        type: integer
      productOffering:
        type: object
        properties:
          id:
            type: string
          name:
            type: string
  Error:
    type: object
    required: [code, reason]
    properties:
      code:
        type: string
      reason:
        type: string
      message:
        type: string
`
