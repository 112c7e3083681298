package dev.redisfn.command;

import static dev.redisfn.command.Access.READ;
import static dev.redisfn.command.Access.WRITE;
import static dev.redisfn.command.Params.KEY;
import static dev.redisfn.command.Params.MEMBER;

import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.redisfn.model.Fields;

import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/** Geospatial indexes: members with a longitude and latitude, searched by distance. */
final class Geo {

    private static final Fields F = Fields.request("params.");
    private static final List<String> PLACE_FIELDS = List.of("member", "longitude", "latitude");
    private static final double MAX_LONGITUDE = 180;
    /** Redis' GEO_LAT_MAX: the Web Mercator projection's limit. */
    private static final double MAX_LATITUDE = 85.05112878;

    static final Param PLACES = Param.optional("members", ParamType.ARRAY,
            "Members with positions: [{\"member\": \"Paris\", \"longitude\": 2.35, \"latitude\": 48.86}] "
                    + "(or give member + longitude + latitude).")
            .withItems("object", "member:string", "longitude:number", "latitude:number");
    static final Param LONGITUDE = Param.optional("longitude", ParamType.NUMBER, "Longitude in degrees (-180..180).");
    static final Param LATITUDE = Param.optional("latitude", ParamType.NUMBER, "Latitude in degrees (-85.05..85.05).");
    static final Param OTHER_MEMBER = Param.required("otherMember", ParamType.STRING, "The member to measure to.");
    static final Param UNIT = Param.optional("unit", ParamType.STRING, "Distance unit: metres, kilometres, miles or feet.")
            .withDefault("m").oneOf("m", "km", "mi", "ft");
    static final Param FROM_MEMBER = Param.optional("fromMember", ParamType.STRING,
            "Search around this member (or give longitude + latitude).");
    static final Param RADIUS = Param.optional("radius", ParamType.NUMBER, "Search within this distance (or give width + height).");
    static final Param WIDTH = Param.optional("width", ParamType.NUMBER, "Search within a box this wide (with height).");
    static final Param HEIGHT = Param.optional("height", ParamType.NUMBER, "Search within a box this high (with width).");
    static final Param COUNT = Params.COUNT.describedAs("Return at most this many members (the nearest, unless sort says).");
    static final Param SORT = Param.optional("sort", ParamType.STRING, "ASC: nearest first; DESC: farthest first.")
            .oneOf("ASC", "DESC");
    static final Param WITH_DISTANCE = Param.optional("withDistance", ParamType.BOOLEAN,
            "Return {member, distance} objects (distance in unit).").withDefault(false);
    static final Param WITH_COORDINATES = Param.optional("withCoordinates", ParamType.BOOLEAN,
            "Return {member, longitude, latitude} objects.").withDefault(false);

    private Geo() {
    }

    static List<Operation> operations() {
        return new Group("geo")
                .op("GEOADD", WRITE, "Add members at positions (or move them); returns how many were new.",
                        List.of(KEY, PLACES, MEMBER.asOptional(), LONGITUDE, LATITUDE), Geo::geoadd, Results::integer)
                .op("GEOPOS", READ, "The positions of members: [{longitude, latitude}], null for missing ones.",
                        List.of(KEY, Params.MEMBER_OR_MEMBERS.get(0), Params.MEMBER_OR_MEMBERS.get(1)),
                        a -> Commands.keyAndStrings(Command.GEOPOS, a.key(), a.stringsOrOne("members", "member")),
                        Geo::positions)
                .op("GEOHASH", READ, "The geohash strings of members, null for missing ones.",
                        List.of(KEY, Params.MEMBER_OR_MEMBERS.get(0), Params.MEMBER_OR_MEMBERS.get(1)),
                        a -> Commands.keyAndStrings(Command.GEOHASH, a.key(), a.stringsOrOne("members", "member")),
                        Results::strings)
                .op("GEODIST", READ, "The distance between two members in unit, or null when one is missing.",
                        List.of(KEY, MEMBER, OTHER_MEMBER, UNIT),
                        a -> Request.cmd(Command.GEODIST).arg(a.key()).arg(a.string("member")).arg(a.string("otherMember"))
                                .arg(unit(a)), (reply, args) -> decimal(reply))
                .op("GEOSEARCH", READ, "Members within a radius or box around a member or a position: names, or "
                        + "{member, distance?, longitude?, latitude?} objects with withDistance / withCoordinates.",
                        List.of(KEY, FROM_MEMBER, LONGITUDE, LATITUDE, RADIUS, WIDTH, HEIGHT, UNIT, COUNT, SORT,
                                WITH_DISTANCE, WITH_COORDINATES),
                        Geo::geosearch, Geo::found)
                .operations();
    }

    private static Request geoadd(Args args) {
        Request request = Request.cmd(Command.GEOADD).arg(args.key());
        JsonNode places = args.raw("members");
        if (places != null && !places.isNull()) {
            args.requireNot("members", "member", "longitude", "latitude");
            if (!places.isArray() || places.isEmpty()) {
                throw args.invalid("members", "expected a non-empty array of {\"member\", \"longitude\", \"latitude\"}");
            }
            for (int i = 0; i < places.size(); i++) {
                addPlace(request, places.get(i), "members[" + i + "]", args);
            }
            return request;
        }
        if (!args.has("member")) {
            throw args.invalid("members", "required (or give member + longitude + latitude)");
        }
        return request.arg(Commands.score(coordinate(args, "longitude"))).arg(Commands.score(coordinate(args, "latitude")))
                .arg(args.string("member"));
    }

    private static void addPlace(Request request, JsonNode place, String at, Args args) {
        if (!place.isObject()) {
            throw args.invalid(at, "expected {\"member\": ..., \"longitude\": ..., \"latitude\": ...}");
        }
        String member = F.string(place.get("member"), at + ".member");
        Double longitude = F.number(place.get("longitude"), at + ".longitude");
        Double latitude = F.number(place.get("latitude"), at + ".latitude");
        if (member == null || longitude == null || latitude == null) {
            throw args.invalid(at, "needs member, longitude and latitude");
        }
        args.requireOnly(place, at, PLACE_FIELDS);
        request.arg(Commands.score(inRange(args, at + ".longitude", longitude, MAX_LONGITUDE)))
                .arg(Commands.score(inRange(args, at + ".latitude", latitude, MAX_LATITUDE))).arg(member);
    }

    /** What Redis can index: the whole longitude, latitude up to the poles of the Web Mercator projection. */
    private static double inRange(Args args, String name, double degrees, double max) {
        if (degrees < -max || degrees > max) {
            throw args.invalid(name, "must be between -" + max + " and " + max + " degrees, got " + degrees);
        }
        return degrees;
    }

    private static double coordinate(Args args, String name) {
        Double value = args.number(name);
        if (value == null) {
            throw args.invalid(name, "required");
        }
        return inRange(args, name, value, name.equals("longitude") ? MAX_LONGITUDE : MAX_LATITUDE);
    }

    private static Request geosearch(Args args) {
        Request request = Request.cmd(Command.GEOSEARCH).arg(args.key());
        boolean byPosition = args.has("longitude") || args.has("latitude");
        if (args.has("fromMember") == byPosition) {
            throw args.invalid("fromMember", byPosition ? "give fromMember or longitude + latitude, not both"
                    : "required (or give longitude + latitude)");
        }
        if (byPosition) {
            request.arg("FROMLONLAT").arg(Commands.score(coordinate(args, "longitude")))
                    .arg(Commands.score(coordinate(args, "latitude")));
        } else {
            request.arg("FROMMEMBER").arg(args.string("fromMember"));
        }
        boolean byBox = args.has("width") || args.has("height");
        if (args.has("radius") == byBox) {
            throw args.invalid("radius", byBox ? "give radius or width + height, not both"
                    : "required (or give width + height)");
        }
        if (byBox) {
            request.arg("BYBOX").arg(Commands.score(distance(args, "width"))).arg(Commands.score(distance(args, "height")));
        } else {
            request.arg("BYRADIUS").arg(Commands.score(distance(args, "radius")));
        }
        request.arg(unit(args));
        if (args.has("sort")) {
            request.arg(args.string("sort").toUpperCase(Locale.ROOT));
        }
        if (args.has("count")) {
            request.arg("COUNT").arg(args.digits("count"));
        }
        if (args.flag("withDistance")) {
            request.arg("WITHDIST");
        }
        return args.flag("withCoordinates") ? request.arg("WITHCOORD") : request;
    }

    private static double distance(Args args, String name) {
        Double value = args.number(name);
        if (value == null) {
            throw args.invalid(name, "required");
        }
        if (value < 0 || value.isInfinite()) {
            throw args.invalid(name, "must be a distance of 0 or more, got " + value);
        }
        return value;
    }

    private static String unit(Args args) {
        return args.string("unit").toLowerCase(Locale.ROOT);
    }

    /** GEOPOS: [[lon, lat] | nil, ...], the coordinates as bulk strings. */
    private static JsonNode positions(Response reply, Args args) {
        ArrayNode array = Results.JSON.arrayNode();
        for (Response position : reply) {
            array.add(position == null ? Results.JSON.nullNode() : position(Results.JSON.objectNode(), position));
        }
        return array;
    }

    private static ObjectNode position(ObjectNode into, Response lonLat) {
        into.set("longitude", decimal(lonLat.get(0)));
        into.set("latitude", decimal(lonLat.get(1)));
        return into;
    }

    /** GEOSEARCH: names, or [member, dist?, [lon, lat]?] items (Redis puts the distance before the coordinates). */
    private static JsonNode found(Response reply, Args args) {
        boolean withDistance = args.flag("withDistance");
        boolean withCoordinates = args.flag("withCoordinates");
        if (!withDistance && !withCoordinates) {
            return Results.strings(reply, args);
        }
        ArrayNode array = Results.JSON.arrayNode();
        for (Response item : reply) {
            ObjectNode object = array.addObject();
            object.put("member", Results.utf8(item.get(0)));
            int next = 1;
            if (withDistance) {
                object.set("distance", decimal(item.get(next++)));
            }
            if (withCoordinates) {
                position(object, item.get(next));
            }
        }
        return array;
    }

    /** A Redis float reply (bulk text in RESP2) as a JSON number, nil as null. */
    static JsonNode decimal(Response reply) {
        return reply == null ? Results.JSON.nullNode() : Results.JSON.numberNode(Double.parseDouble(Results.utf8(reply)));
    }
}
