package io.github.s3batchspark.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.s3batchspark.api.ApiModel.Ref;
import io.github.s3batchspark.api.ApiModel.Shape;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * REST-XML bodies to and from the JSON the job layer speaks, walking botocore's shapes: XML
 * names ({@code SSE-KMS}) become member names ({@code SSEKMS}), lists are {@code <member>}
 * elements (or the name the model gives), maps are {@code <entry><key/><value/></entry>}, and
 * booleans and numbers become JSON booleans and numbers, so that a CreateJob body becomes the
 * very JSON {@code create-job --cli-input-json} takes, and is validated by the same code.
 */
final class ShapeXml {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final String LIST_MEMBER = "member";

  private ShapeXml() {}

  /**
   * The body's members as JSON. An element the shape does not name is kept under its own name,
   * so that the job validator refuses it by field rather than the server dropping it silently.
   *
   * @throws ApiError BadRequest (MalformedXML) when the body is not well-formed XML
   */
  static ObjectNode read(byte[] body, Shape shape, ApiModel model) {
    return readStructure(parse(body).getDocumentElement(), shape, model);
  }

  /** The XML document {@code <rootName xmlns=...>...</rootName>} of {@code value}. */
  static byte[] write(String rootName, JsonNode value, Shape shape, ApiModel model) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      XMLStreamWriter xml = XMLOutputFactory.newFactory()
          .createXMLStreamWriter(bytes, StandardCharsets.UTF_8.name());
      xml.writeStartDocument(StandardCharsets.UTF_8.name(), "1.0");
      xml.writeStartElement(rootName);
      xml.writeDefaultNamespace(model.xmlNamespace());
      writeMembers(xml, value, shape, model);
      xml.writeEndElement();
      xml.writeEndDocument();
      xml.close();
    } catch (XMLStreamException e) {
      throw new IllegalStateException("cannot write " + rootName + " as XML", e);
    }
    return bytes.toByteArray();
  }

  private static ObjectNode readStructure(Element element, Shape shape, ApiModel model) {
    ObjectNode out = JSON.objectNode();
    for (Element child : children(element)) {
      String name = child.getLocalName() != null ? child.getLocalName() : child.getTagName();
      Map.Entry<String, Ref> member = memberWithWireName(shape, name);
      if (member == null) {
        out.put(name, child.getTextContent());
      } else {
        out.set(member.getKey(), readValue(child, model.shape(member.getValue().shape()), model));
      }
    }
    return out;
  }

  private static Map.Entry<String, Ref> memberWithWireName(Shape shape, String wireName) {
    for (Map.Entry<String, Ref> m : shape.members().entrySet()) {
      if (m.getValue().location() == null && m.getValue().wireName(m.getKey()).equals(wireName)) {
        return m;
      }
    }
    return null;
  }

  private static JsonNode readValue(Element element, Shape shape, ApiModel model) {
    String text = element.getTextContent();
    switch (shape.type()) {
      case "structure":
        return readStructure(element, shape, model);
      case "list": {
        ArrayNode list = JSON.arrayNode();
        Shape memberShape = model.shape(shape.member().shape());
        children(element).forEach(item -> list.add(readValue(item, memberShape, model)));
        return list;
      }
      case "map": {
        ObjectNode map = JSON.objectNode();
        Shape valueShape = model.shape(shape.value().shape());
        for (Element entry : children(element)) {
          Element key = child(entry, shape.key().wireName("key"));
          Element value = child(entry, shape.value().wireName("value"));
          if (key != null) {
            map.set(key.getTextContent(),
                value == null ? JSON.textNode("") : readValue(value, valueShape, model));
          }
        }
        return map;
      }
      case "boolean":
        return "true".equals(text) ? JSON.booleanNode(true)
            : "false".equals(text) ? JSON.booleanNode(false) : JSON.textNode(text);
      case "integer":
      case "long":
        try {
          return JSON.numberNode(Long.parseLong(text.trim()));
        } catch (NumberFormatException e) {
          return JSON.textNode(text); // the validator names the field and the value
        }
      default:
        return JSON.textNode(text);
    }
  }

  private static void writeMembers(XMLStreamWriter xml, JsonNode value, Shape shape,
      ApiModel model) throws XMLStreamException {
    for (Map.Entry<String, Ref> m : shape.members().entrySet()) {
      JsonNode member = value.get(m.getKey());
      // members outside the model (our extensions) are left out: no AWS client could read them
      if (m.getValue().location() == null && member != null && !member.isNull()) {
        writeValue(xml, m.getValue().wireName(m.getKey()), member,
            model.shape(m.getValue().shape()), model);
      }
    }
  }

  private static void writeValue(XMLStreamWriter xml, String name, JsonNode value, Shape shape,
      ApiModel model) throws XMLStreamException {
    xml.writeStartElement(name);
    switch (shape.type()) {
      case "structure" -> writeMembers(xml, value, shape, model);
      case "list" -> {
        Shape memberShape = model.shape(shape.member().shape());
        for (JsonNode item : value) {
          writeValue(xml, shape.member().wireName(LIST_MEMBER), item, memberShape, model);
        }
      }
      case "map" -> {
        Shape valueShape = model.shape(shape.value().shape());
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          xml.writeStartElement("entry");
          xml.writeStartElement(shape.key().wireName("key"));
          xml.writeCharacters(e.getKey());
          xml.writeEndElement();
          writeValue(xml, shape.value().wireName("value"), e.getValue(), valueShape, model);
          xml.writeEndElement();
        }
      }
      default -> xml.writeCharacters(value.asText());
    }
    xml.writeEndElement();
  }

  /** Parses without DTDs or external entities: a request body is untrusted input. */
  private static org.w3c.dom.Document parse(byte[] body) {
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setNamespaceAware(true);
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      factory.setXIncludeAware(false);
      factory.setExpandEntityReferences(false);
      DocumentBuilder builder = factory.newDocumentBuilder();
      builder.setErrorHandler(null);
      return builder.parse(new ByteArrayInputStream(body));
    } catch (SAXException | IOException e) {
      throw ApiError.malformedXml(e.getMessage());
    } catch (ParserConfigurationException e) {
      throw new IllegalStateException("the JDK's XML parser cannot be configured safely", e);
    }
  }

  private static List<Element> children(Element element) {
    List<Element> out = new ArrayList<>();
    for (Node n = element.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e) {
        out.add(e);
      }
    }
    return out;
  }

  private static Element child(Element element, String name) {
    for (Element e : children(element)) {
      String local = e.getLocalName() != null ? e.getLocalName() : e.getTagName();
      if (local.equals(name)) {
        return e;
      }
    }
    return null;
  }
}
